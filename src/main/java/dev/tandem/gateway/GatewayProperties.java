package dev.tandem.gateway;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the gateway ({@code tandem.gateway.*}).
 *
 * @param maxRequestBytes largest request body accepted ({@code TANDEM_MAX_REQUEST_BYTES})
 * @param shutdownGrace   how long in-flight streams may run on at shutdown before they are ended with an error
 *                        event ({@code TANDEM_SHUTDOWN_GRACE})
 * @param secret          key for signing thinking blocks; shared by all nodes ({@code TANDEM_SECRET}); when empty a
 *                        random one is made and kept in the database
 */
@ConfigurationProperties("tandem.gateway")
public record GatewayProperties(long maxRequestBytes, Duration shutdownGrace, @Nullable String secret) {
}
