package dev.tandem.billing.internal;

import dev.tandem.billing.Metered;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hourly and daily sums of usage ({@code usage_hourly}, {@code usage_daily}) that every report reads, kept by
 * the ledger writer in the transaction that records the calls, so a report never disagrees with the ledger.
 */
final class UsageSums {

    private final JdbcTemplate jdbc;

    UsageSums(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds calls recorded for the first time to both levels of sums. */
    void add(List<LedgerWriter.Settle> recorded) {
        add(recorded, "usage_hourly", "hour", 3_600_000L);
        add(recorded, "usage_daily", "day", 86_400_000L);
    }

    /**
     * Adds newly recorded calls to the sums of {@code table}, one row per organization, key, model and period of
     * {@code periodMillis} (UTC hours or days), in the settle transaction: what every report reads.
     */
    private void add(List<LedgerWriter.Settle> recorded, String table, String period, long periodMillis) {
        Map<List<Object>, long[]> sums = new LinkedHashMap<>();
        for (LedgerWriter.Settle s : recorded) {
            Metered m = s.metered();
            long start = s.at() - Math.floorMod(s.at(), periodMillis);
            List<Object> key = List.of(s.admission().call().organizationId(), s.admission().call().apiKeyId(),
                    s.admission().call().model(), start);
            long[] sum = sums.computeIfAbsent(key, k -> new long[7]);
            sum[0]++;
            sum[1] += m.inputTokens();
            sum[2] += m.cachedTokens();
            sum[3] += m.outputTokens();
            sum[4] += m.reasoningTokens();
            sum[5] += s.price();
            sum[6] += s.cost();
        }
        if (sums.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(sums.size());
        sums.forEach((k, v) -> rows.add(new Object[] {k.get(0), k.get(1), k.get(2), k.get(3), v[0], v[1], v[2], v[3],
                v[4], v[5], v[6]}));
        jdbc.batchUpdate("INSERT INTO " + table + " (organization_id, api_key_id, model, " + period + ", requests, "
                + "input_tokens, cached_tokens, output_tokens, reasoning_tokens, price, cost) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (organization_id, api_key_id, model, " + period + ") DO UPDATE SET "
                + "requests = " + table + ".requests + excluded.requests, "
                + "input_tokens = " + table + ".input_tokens + excluded.input_tokens, "
                + "cached_tokens = " + table + ".cached_tokens + excluded.cached_tokens, "
                + "output_tokens = " + table + ".output_tokens + excluded.output_tokens, "
                + "reasoning_tokens = " + table + ".reasoning_tokens + excluded.reasoning_tokens, "
                + "price = " + table + ".price + excluded.price, "
                + "cost = " + table + ".cost + excluded.cost", rows);
    }
}
