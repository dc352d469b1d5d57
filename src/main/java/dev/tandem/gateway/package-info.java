@NullMarked
package dev.tandem.gateway;

import org.jspecify.annotations.NullMarked;
