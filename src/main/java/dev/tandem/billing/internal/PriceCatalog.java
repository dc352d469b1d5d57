package dev.tandem.billing.internal;

import dev.tandem.billing.BillingProperties;
import dev.tandem.billing.ModelPrice;
import dev.tandem.billing.Money;
import dev.tandem.billing.PriceList;
import dev.tandem.billing.Rates;
import dev.tandem.billing.UnitPrices;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The price catalog in the database ({@code model_prices}), read from memory. Every change bumps
 * {@code model_prices_version} in its transaction; each node polls that number every {@code price-refresh} and
 * reloads the whole catalog when it moved, so a change made on any node applies everywhere within that period.
 */
@Component
class PriceCatalog implements PriceList, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PriceCatalog.class);
    private static final String COLUMNS = "model, input, cached_input, output, per_10k_characters, per_image, "
            + "per_video_second, per_song, cost_input, cost_cached_input, cost_output, cost_per_10k_characters, "
            + "cost_per_image, cost_per_video_second, cost_per_song, created_at, updated_at";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final long refreshMillis;
    private volatile Map<String, ModelPrice> entries = Map.of();
    private volatile long version = Long.MIN_VALUE;
    private volatile @Nullable ScheduledExecutorService poller;

    PriceCatalog(JdbcClient jdbc, TransactionTemplate tx, Clock clock, BillingProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.refreshMillis = Math.max(100, properties.priceRefresh().toMillis());
        seed(properties.pricesOrEmpty());
        reload();
    }

    /** Adds the configured prices of models the catalog does not have yet; the database wins for the others. */
    private void seed(List<BillingProperties.Price> configured) {
        for (BillingProperties.Price p : configured) {
            UnitPrices price = prices(p.model(), "", p.input(), p.cachedInput(), p.output(), p.per10kCharacters(),
                    p.perImage(), p.perVideoSecond(), p.perSong());
            UnitPrices cost = prices(p.model(), "cost-", p.costInput(), p.costCachedInput(), p.costOutput(),
                    p.costPer10kCharacters(), p.costPerImage(), p.costPerVideoSecond(), p.costPerSong());
            tx.executeWithoutResult(s -> {
                if (write(p.model(), price, cost, false) > 0) {
                    bumpVersion();
                    log.info("price catalog: added {} from configuration", p.model());
                }
            });
        }
    }

    private static UnitPrices prices(String model, String prefix, @Nullable String input, @Nullable String cached,
            @Nullable String output, @Nullable String chars, @Nullable String image, @Nullable String video,
            @Nullable String song) {
        long in = micros(input, prefix + "input", model);
        try {
            return new UnitPrices(in, cached == null ? in : micros(cached, prefix + "cached-input", model),
                    micros(output, prefix + "output", model), micros(chars, prefix + "per-10k-characters", model),
                    micros(image, prefix + "per-image", model), micros(video, prefix + "per-video-second", model),
                    micros(song, prefix + "per-song", model));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prices of model " + model + ": " + e.getMessage());
        }
    }

    private static long micros(@Nullable String value, String field, String model) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Money.parse(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("price " + field + " of model " + model + ": " + e.getMessage());
        }
    }

    /** Inserts (or with {@code replace}, upserts) one entry; returns the rows written. */
    private int write(String model, UnitPrices p, UnitPrices c, boolean replace) {
        long now = clock.millis();
        String conflict = replace ? """
                ON CONFLICT (model) DO UPDATE SET input = excluded.input, cached_input = excluded.cached_input,
                    output = excluded.output, per_10k_characters = excluded.per_10k_characters,
                    per_image = excluded.per_image, per_video_second = excluded.per_video_second,
                    per_song = excluded.per_song, cost_input = excluded.cost_input,
                    cost_cached_input = excluded.cost_cached_input, cost_output = excluded.cost_output,
                    cost_per_10k_characters = excluded.cost_per_10k_characters,
                    cost_per_image = excluded.cost_per_image, cost_per_video_second = excluded.cost_per_video_second,
                    cost_per_song = excluded.cost_per_song, updated_at = excluded.updated_at"""
                : "ON CONFLICT (model) DO NOTHING";
        return jdbc.sql("INSERT INTO model_prices (" + COLUMNS + ") VALUES (:model, :i, :ci, :o, :ch, :im, :v, :s, "
                        + ":cost_i, :cost_ci, :cost_o, :cost_ch, :cost_im, :cost_v, :cost_s, :now, :now) " + conflict)
                .param("model", model)
                .param("i", p.input()).param("ci", p.cachedInput()).param("o", p.output())
                .param("ch", p.per10kCharacters()).param("im", p.perImage()).param("v", p.perVideoSecond())
                .param("s", p.perSong())
                .param("cost_i", c.input()).param("cost_ci", c.cachedInput()).param("cost_o", c.output())
                .param("cost_ch", c.per10kCharacters()).param("cost_im", c.perImage())
                .param("cost_v", c.perVideoSecond()).param("cost_s", c.perSong())
                .param("now", now).update();
    }

    private void bumpVersion() {
        jdbc.sql("UPDATE model_prices_version SET version = version + 1 WHERE id = 1").update();
    }

    /** Reloads the whole catalog when its version moved since the last load. */
    void refresh() {
        long current = currentVersion();
        if (current != version) {
            reload();
        }
    }

    private long currentVersion() {
        return jdbc.sql("SELECT version FROM model_prices_version WHERE id = 1").query(Long.class).single();
    }

    private synchronized void reload() {
        // read the version first: a change committed between the two reads is loaded again on the next poll
        long v = currentVersion();
        Map<String, ModelPrice> loaded = new LinkedHashMap<>();
        jdbc.sql("SELECT " + COLUMNS + " FROM model_prices ORDER BY model").query(PriceCatalog::row).list()
                .forEach(p -> loaded.put(p.model(), p));
        entries = Map.copyOf(loaded);
        version = v;
    }

    private static ModelPrice row(ResultSet rs, int i) throws SQLException {
        return new ModelPrice(rs.getString(1),
                new UnitPrices(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7), rs.getLong(8)),
                new UnitPrices(rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
                        rs.getLong(14), rs.getLong(15)),
                rs.getLong(17));
    }

    Rates price(String model) {
        ModelPrice p = entries.get(model);
        return p == null ? Rates.FREE : p.price().tokens();
    }

    Rates cost(String model) {
        ModelPrice p = entries.get(model);
        return p == null ? Rates.FREE : p.cost().tokens();
    }

    @Override
    public List<ModelPrice> list() {
        return entries.values().stream().sorted(java.util.Comparator.comparing(ModelPrice::model)).toList();
    }

    @Override
    public Optional<ModelPrice> find(String model) {
        return Optional.ofNullable(entries.get(model));
    }

    @Override
    public ModelPrice put(String model, UnitPrices price, UnitPrices cost) {
        tx.executeWithoutResult(s -> {
            write(model, price, cost, true);
            bumpVersion();
        });
        reload();
        log.info("price catalog: {} set", model);
        return find(model).orElseThrow(() -> new IllegalStateException("price of " + model + " not stored"));
    }

    @Override
    public boolean remove(String model) {
        Boolean removed = tx.execute(s -> {
            int n = jdbc.sql("DELETE FROM model_prices WHERE model = :m").param("m", model).update();
            if (n > 0) {
                bumpVersion();
            }
            return n > 0;
        });
        reload();
        return Boolean.TRUE.equals(removed);
    }

    @Override
    public void start() {
        ScheduledExecutorService p = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("price-catalog").daemon(true).factory());
        p.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                log.warn("could not look for price changes: {}", e.getMessage());
            }
        }, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        poller = p;
    }

    @Override
    public void stop() {
        ScheduledExecutorService p = poller;
        if (p != null) {
            p.shutdownNow();
        }
        poller = null;
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }
}
