@NullMarked
package dev.tandem.inference.llamacpp;

import org.jspecify.annotations.NullMarked;
