package dev.tandem.billing.internal;

import dev.tandem.billing.BillingProperties;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes usage past its retention: each call's record after {@code retention.raw-records}, hourly sums after
 * {@code retention.hourly}; daily sums stay forever. Runs every {@code retention.interval} on every node (deleting
 * twice is harmless) and deletes at most {@code retention.batch-size} rows per statement, each in its own short
 * transaction, so settlement is never held up for long.
 */
@Component
class UsageRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageRetention.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final BillingProperties.Retention settings;
    private volatile @Nullable ScheduledExecutorService timer;

    UsageRetention(JdbcTemplate jdbc, Clock clock, BillingProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = properties.retention();
    }

    /** What one pass deleted. */
    record Purged(long records, long hourly) {
    }

    Purged purge() {
        long now = clock.millis();
        long records = deleteAll("DELETE FROM usage_records WHERE id IN "
                + "(SELECT id FROM usage_records WHERE created_at < ? LIMIT ?)", now - settings.rawRecords().toMillis());
        long hourly = deleteAll("DELETE FROM usage_hourly WHERE (organization_id, api_key_id, model, hour) IN "
                + "(SELECT organization_id, api_key_id, model, hour FROM usage_hourly WHERE hour < ? LIMIT ?)",
                now - settings.hourly().toMillis());
        if (records > 0 || hourly > 0) {
            log.info("usage retention: deleted {} usage records and {} hourly sums", records, hourly);
        }
        return new Purged(records, hourly);
    }

    private long deleteAll(String sql, long before) {
        long total = 0;
        int n;
        do {
            n = jdbc.update(sql, before, settings.batchSize());
            total += n;
        } while (n >= settings.batchSize() && timer != null);
        return total;
    }

    @Override
    public void start() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("usage-retention").daemon(true).factory());
        timer = t;
        long period = Math.max(100, settings.interval().toMillis());
        t.scheduleWithFixedDelay(() -> {
            try {
                purge();
            } catch (RuntimeException e) {
                log.warn("usage retention failed: {}", e.getMessage());
            }
        }, Math.min(period, 60_000), period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) {
            t.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
