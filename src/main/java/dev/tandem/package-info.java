@NullMarked
package dev.tandem;

import org.jspecify.annotations.NullMarked;
