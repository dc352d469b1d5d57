/** Internals of the store module (stripe): not for other modules. */
@NullMarked
package dev.tandem.store.stripe;

import org.jspecify.annotations.NullMarked;
