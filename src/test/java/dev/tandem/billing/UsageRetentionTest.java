package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Usage storage that stays small: every call adds to hourly and daily sums in its settle transaction; records and
 * hourly sums past their retention are deleted in small batches by a background job; daily sums stay.
 */
class UsageRetentionTest {

    static final long DAY = 86_400_000L;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void deletesExpiredRecordsAndHourlySumsInBatchesAndKeepsDailySums(String database) throws Exception {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        try (ChatUpstream upstream = new ChatUpstream(10, 5)) {
            Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "m"));
            s.put("tandem.billing.retention.raw-records", "2d");
            s.put("tandem.billing.retention.hourly", "10d");
            s.put("tandem.billing.retention.interval", "200ms");
            s.put("tandem.billing.retention.batch-size", "3");
            if (pg != null) {
                s.put("tandem.db.url", pg.url());
            }
            try (TandemServer server = TandemServer.start(s)) {
                Admin admin = new Admin(server);
                String org = admin.prepaidOrganization("kept");
                String key = admin.key(org, "developer", "");
                admin.grant(org, "1.00", "kept-1");
                assertThat(Calls.openAi(server, key, "m", 5).status()).isEqualTo(200);
                JdbcClient jdbc = server.context().getBean(JdbcClient.class);
                assertThat(jdbc.sql("SELECT requests, input_tokens, output_tokens FROM usage_daily WHERE "
                        + "organization_id = :o").param("o", org)
                        .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).single())
                        .as("the call is in today's sum at once").containsExactly(1, 10, 5);

                long now = System.currentTimeMillis();
                for (int i = 0; i < 8; i++) {
                    usageRecord(jdbc, "old-" + i, now - 3 * DAY - i);
                    sum(jdbc, "usage_hourly", "hour", "old-" + i, now - 11 * DAY - i * 3_600_000L);
                    sum(jdbc, "usage_daily", "day", "ancient-" + i, now - 900 * DAY - i * DAY);
                }
                usageRecord(jdbc, "recent", now - DAY);
                sum(jdbc, "usage_hourly", "hour", "recent", now - 9 * DAY);

                long deadline = System.nanoTime() + 10_000_000_000L;
                while (count(jdbc, "usage_records", "id LIKE 'old-%'") + count(jdbc, "usage_hourly", "model LIKE 'old-%'") > 0
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(count(jdbc, "usage_records", "id LIKE 'old-%'")).as("records past 2 days").isZero();
                assertThat(count(jdbc, "usage_hourly", "model LIKE 'old-%'")).as("hourly sums past 10 days").isZero();
                assertThat(count(jdbc, "usage_records", "id = 'recent'")).isOne();
                assertThat(count(jdbc, "usage_records", "organization_id = '" + org + "'")).isOne();
                assertThat(count(jdbc, "usage_hourly", "model = 'recent'")).isOne();
                assertThat(count(jdbc, "usage_daily", "model LIKE 'ancient-%'")).as("daily sums stay").isEqualTo(8);
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    static long count(JdbcClient jdbc, String table, String where) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + where).query(Long.class).single();
    }

    static void usageRecord(JdbcClient jdbc, String id, long at) {
        jdbc.sql("INSERT INTO usage_records (id, organization_id, api_key_id, model, backend, endpoint, stream, "
                + "input_tokens, cached_tokens, output_tokens, reasoning_tokens, latency_ms, ttft_ms, status, price, "
                + "cost, created_at) VALUES (:id, 'org-x', 'key-x', 'm', 'openai:m', 'openai', 0, 1, 0, 1, 0, 1, 1, "
                + "'completed', 1, 0, :at)").param("id", id).param("at", at).update();
    }

    static void sum(JdbcClient jdbc, String table, String period, String model, long at) {
        jdbc.sql("INSERT INTO " + table + " (organization_id, api_key_id, model, " + period + ", requests, "
                + "input_tokens, cached_tokens, output_tokens, reasoning_tokens, price, cost) VALUES ('org-x', 'key-x', "
                + ":m, :at, 1, 1, 0, 1, 0, 1, 0)").param("m", model).param("at", at).update();
    }
}
