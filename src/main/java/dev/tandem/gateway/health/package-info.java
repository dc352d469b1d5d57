@NullMarked
package dev.tandem.gateway.health;

import org.jspecify.annotations.NullMarked;
