package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Databases;
import dev.tandem.support.Redises;
import dev.tandem.support.TandemServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Tandem nodes on one PostgreSQL and one Redis share every limit: a key limited to 600 requests a minute gets
 * 600 accepted in a minute, however its calls are spread over the nodes, and the same holds for tokens.
 */
class SharedLimitsTest {

    static ChatUpstream upstream;
    static Databases.Fresh db;
    static TandemServer one;
    static TandemServer two;
    static Admin admin;

    @BeforeAll
    static void start() {
        Redises.Fresh redis = Redises.fresh();
        db = Databases.freshPostgres();
        upstream = new ChatUpstream(20, 50);
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "m"));
        s.put("tandem.db.url", db.url());
        s.put("tandem.billing.limits.redis-url", redis.url());
        s.put("tandem.billing.limits.redis-prefix", redis.prefix());
        s.put("tandem.billing.default-mode", "unlimited");
        one = TandemServer.start(s);
        two = TandemServer.start(s);
        admin = new Admin(one);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {one, two, upstream, db}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sends {@code attempts} calls, alternating nodes, 16 at a time; returns how many were accepted. */
    static int hammer(String key, int attempts, int maxTokens) throws Exception {
        List<Future<Calls.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < attempts; i++) {
                TandemServer node = i % 2 == 0 ? one : two;
                replies.add(pool.submit(() -> Calls.openAi(node, key, "m", maxTokens)));
            }
        }
        int accepted = 0;
        for (Future<Calls.Reply> f : replies) {
            int status = f.get().status();
            assertThat(status).as(f.get().response().body()).isIn(200, 429);
            accepted += status == 200 ? 1 : 0;
        }
        return accepted;
    }

    @Test
    void aKeyLimitedTo600RequestsAMinuteGets600AcrossBothNodes() throws Exception {
        String org = admin.prepaidOrganization("rpm-shared");
        String key = admin.key(org, "developer", "\"rpm\":600");
        Calls.awaitMinuteWithAtLeast(Duration.ofSeconds(40));
        long minute = System.currentTimeMillis() / 60_000;
        int accepted = hammer(key, 800, 5);
        // both nodes now refuse the key for the rest of the minute: neither has a count of its own
        assertThat(Calls.openAi(one, key, "m", 5).status()).isEqualTo(429);
        assertThat(Calls.openAi(two, key, "m", 5).status()).isEqualTo(429);
        assertThat(System.currentTimeMillis() / 60_000).as("the run stayed inside one minute").isEqualTo(minute);
        assertThat(accepted).isBetween(594, 606);
    }

    @Test
    void aKeysTokensPerMinuteHoldAcrossBothNodes() throws Exception {
        String org = admin.prepaidOrganization("tpm-shared");
        String key = admin.key(org, "developer", "\"tpm\":30000");
        Calls.awaitMinuteWithAtLeast(Duration.ofSeconds(40));
        long start = System.currentTimeMillis();
        long minute = start / 60_000;
        // each call reserves its estimate (about 140 tokens: prompt bytes and max_tokens 50) and uses 70
        int accepted = hammer(key, 700, 50);
        assertThat(System.currentTimeMillis() / 60_000).as("the run stayed inside one minute").isEqualTo(minute);
        long tokens = tokensRecorded(org, minute * 60_000, (minute + 1) * 60_000);
        assertThat(tokens).isEqualTo(accepted * 70L);
        assertThat(tokens).isBetween(29_700L, 30_000L);
    }

    static long tokensRecorded(String org, long from, long to) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url());
                PreparedStatement q = c.prepareStatement("SELECT COALESCE(SUM(input_tokens + output_tokens), 0) FROM "
                        + "usage_records WHERE organization_id = ? AND created_at >= ? AND created_at < ?")) {
            q.setString(1, org);
            q.setLong(2, from);
            q.setLong(3, to);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
