@NullMarked
package dev.tandem.inference.remote;

import org.jspecify.annotations.NullMarked;
