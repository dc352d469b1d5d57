package dev.tandem.billing.internal;

import dev.tandem.billing.BillingProperties;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Counts rate limits in this node's memory, or in Redis when {@code tandem.billing.limits.redis-url} is set. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    /** How long a call waits for Redis before it is let in uncounted. */
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(500);

    @Bean(destroyMethod = "close")
    RateLimiter rateLimiter(BillingProperties properties, JdbcClient jdbc) {
        BillingProperties.Limits limits = properties.limits();
        LimitCounters counters = limits.redisUrl().isBlank()
                ? new LocalLimitCounters()
                : new RedisLimitCounters(limits.redisUrl(), REDIS_TIMEOUT);
        return new RateLimiter(counters, limits, jdbc);
    }
}
