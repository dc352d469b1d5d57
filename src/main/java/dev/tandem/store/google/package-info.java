/** Internals of the store module (google): not for other modules. */
@NullMarked
package dev.tandem.store.google;

import org.jspecify.annotations.NullMarked;
