package dev.tandem.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL: a model added, a channel switched off, and a model removed through the management
 * API of one node are in effect on the other within five seconds.
 */
class CatalogSharedTest {

    static ChatUpstream a, b;
    static Databases.Fresh db;
    static TandemServer one, two;

    @BeforeAll
    static void start() {
        db = Databases.freshPostgres();
        a = new ChatUpstream(10, 3);
        b = new ChatUpstream(10, 3);
        Map<String, String> s = new LinkedHashMap<>();
        s.put("tandem.db.url", db.url());
        s.put("tandem.master-key", "shared master key of the test");
        s.put("tandem.billing.default-mode", "unlimited");
        one = TandemServer.start(s);
        two = TandemServer.start(s);
    }

    @AfterAll
    static void stop() {
        Closing.all(one, two, a, b, db);
    }

    /** Seconds until {@code condition} holds, failing after ten. */
    static double secondsUntil(BooleanSupplier condition) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - t0 > 10_000_000_000L) {
                throw new AssertionError("not in effect after 10 s");
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void aChangeOnOneNodeIsInEffectOnTheOtherWithinFiveSeconds() throws Exception {
        Admin admin = new Admin(one);
        admin.call("PUT", "/v1/admin/models/shared", "{\"channels\":[{\"channel\":\"a\",\"engine\":\"openai\","
                + "\"base_url\":\"" + a.baseUrl() + "\",\"api_key\":\"sk-shared\"},{\"channel\":\"b\",\"engine\":"
                + "\"openai\",\"base_url\":\"" + b.baseUrl() + "\"}]}").ok();
        double added = secondsUntil(() -> Calls.openAi(two, TandemServer.ADMIN_KEY, "shared", 5).status() == 200);
        int before = a.calls();
        while (a.calls() == before) {
            Calls.openAi(two, TandemServer.ADMIN_KEY, "shared", 5);
        }
        assertThat(a.lastAuthorization()).isEqualTo("Bearer sk-shared"); // the other node opened the sealed key

        admin.call("PATCH", "/v1/admin/models/shared", "{\"disable\":[\"a\"]}").ok();
        double disabled = secondsUntil(() -> new Admin(two).call("GET", "/v1/admin/models/shared", null).ok()
                .path("channels").get(0).path("state").asString().equals("disabled"));
        int aCalls = a.calls();
        for (int i = 0; i < 10; i++) {
            assertThat(Calls.openAi(two, TandemServer.ADMIN_KEY, "shared", 5).status()).isEqualTo(200);
        }
        assertThat(a.calls()).isEqualTo(aCalls);

        admin.call("DELETE", "/v1/admin/models/shared", null).ok();
        double removed = secondsUntil(() -> Calls.openAi(two, TandemServer.ADMIN_KEY, "shared", 5).status() == 404);
        System.out.printf("catalog on the second node: added after %.2f s, channel disabled after %.2f s, removed "
                + "after %.2f s%n", added, disabled, removed);
        assertThat(added).isLessThan(5);
        assertThat(disabled).isLessThan(5);
        assertThat(removed).isLessThan(5);
    }
}
