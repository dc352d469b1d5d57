@NullMarked
package dev.tandem.gateway.minimax;

import org.jspecify.annotations.NullMarked;
