@NullMarked
package dev.tandem.inference;

import org.jspecify.annotations.NullMarked;
