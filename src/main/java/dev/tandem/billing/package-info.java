@NullMarked
package dev.tandem.billing;

import org.jspecify.annotations.NullMarked;
