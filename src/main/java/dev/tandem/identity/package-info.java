@NullMarked
package dev.tandem.identity;

import org.jspecify.annotations.NullMarked;
