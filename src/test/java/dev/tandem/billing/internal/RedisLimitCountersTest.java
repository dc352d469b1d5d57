package dev.tandem.billing.internal;

import dev.tandem.support.Redises;
import java.time.Duration;

/** The counters nodes share through Redis (skipped with a reason where no Redis answers). */
class RedisLimitCountersTest extends LimitCountersContract {
    @Override
    LimitCounters create() {
        return new RedisLimitCounters(Redises.fresh().url(), Duration.ofSeconds(2));
    }
}
