@NullMarked
package dev.tandem.inference.engine;

import org.jspecify.annotations.NullMarked;
