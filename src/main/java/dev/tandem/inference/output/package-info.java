@NullMarked
package dev.tandem.inference.output;

import org.jspecify.annotations.NullMarked;
