/** Internals of the store module (internal): not for other modules. */
@NullMarked
package dev.tandem.store.internal;

import org.jspecify.annotations.NullMarked;
