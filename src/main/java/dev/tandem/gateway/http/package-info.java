@NullMarked
package dev.tandem.gateway.http;

import org.jspecify.annotations.NullMarked;
