@NullMarked
package dev.tandem.billing.internal;

import org.jspecify.annotations.NullMarked;
