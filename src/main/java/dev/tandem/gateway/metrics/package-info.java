/** Prometheus metrics of model calls, streams and channels, served at {@code /metrics}. */
@NullMarked
package dev.tandem.gateway.metrics;

import org.jspecify.annotations.NullMarked;
