@NullMarked
package dev.tandem.gateway.openai;

import org.jspecify.annotations.NullMarked;
