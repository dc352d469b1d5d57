@NullMarked
package dev.tandem.gateway.anthropic;

import org.jspecify.annotations.NullMarked;
