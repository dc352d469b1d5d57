@NullMarked
package dev.tandem.identity.internal;

import org.jspecify.annotations.NullMarked;
