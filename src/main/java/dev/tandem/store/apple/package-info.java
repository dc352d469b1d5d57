/** Internals of the store module (apple): not for other modules. */
@NullMarked
package dev.tandem.store.apple;

import org.jspecify.annotations.NullMarked;
