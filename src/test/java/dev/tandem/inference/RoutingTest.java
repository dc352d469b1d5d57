package dev.tandem.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Models with several channels, against real upstreams on loopback that fail on demand: weighted choice within
 * a priority, failover before the first byte, circuit breakers that open and recover, 429 retry-after honoured.
 */
class RoutingTest {

    static final String KEY = TandemServer.ADMIN_KEY;
    static ChatUpstream heavy, light, primary, secondary, limited, spare, downA, downB, backup, nicknamed;
    static final ChatUpstream[] STICKY = new ChatUpstream[3];
    static TandemServer server;
    static int index;

    @BeforeAll
    static void start() {
        heavy = new ChatUpstream(10, 3);
        light = new ChatUpstream(10, 3);
        primary = new ChatUpstream(10, 3);
        secondary = new ChatUpstream(10, 3);
        limited = new ChatUpstream(10, 3);
        spare = new ChatUpstream(10, 3);
        downA = new ChatUpstream(10, 3);
        downB = new ChatUpstream(10, 3);
        backup = new ChatUpstream(10, 3);
        nicknamed = new ChatUpstream(10, 3);
        Map<String, String> s = new LinkedHashMap<>();
        channel(s, heavy, "spread", "priority", "0", "weight", "3");
        channel(s, light, "spread", "priority", "0", "weight", "1");
        channel(s, primary, "tiered", "priority", "0", "channel", "primary");
        channel(s, secondary, "tiered", "priority", "1", "channel", "secondary");
        channel(s, limited, "cooling", "priority", "0");
        channel(s, spare, "cooling", "priority", "1");
        channel(s, downA, "down");
        channel(s, downB, "down");
        s.put("tandem.inference.models[" + (index - 2) + "].fallbacks[0]", "backup");
        channel(s, backup, "backup");
        channel(s, nicknamed, "nicknamed", "aliases[0]", "nick", "aliases[1]", "nick-latest");
        for (int i = 0; i < STICKY.length; i++) {
            STICKY[i] = new ChatUpstream(10, 3);
            channel(s, STICKY[i], "sticky");
        }
        s.put("tandem.inference.routing.minimum-calls", "4");
        s.put("tandem.inference.routing.window", "4");
        s.put("tandem.inference.routing.open-for", "2s");
        s.put("tandem.inference.routing.probe-calls", "1");
        s.put("tandem.inference.routing.probe-interval", "1h"); // calls are counted exactly here: no probes
        server = TandemServer.start(s);
    }

    private static void channel(Map<String, String> s, ChatUpstream up, String model, String... extra) {
        s.putAll(up.model(index++, model, extra));
    }

    @AfterAll
    static void stop() {
        Closing.all(server, heavy, light, primary, secondary, limited, spare, downA, downB, backup, nicknamed,
                STICKY[0], STICKY[1], STICKY[2]);
    }

    @Test
    void callsAreSpreadByWeightWithinAPriority() {
        for (int i = 0; i < 400; i++) {
            assertThat(Calls.openAi(server, KEY, "spread", 5).status()).isEqualTo(200);
        }
        // 3:1 over 400 calls: 300 expected, standard deviation about 8.7
        assertThat(heavy.calls()).isBetween(260, 340);
        assertThat(heavy.calls() + light.calls()).isEqualTo(400);
    }

    @Test
    void aFailingChannelIsSkippedBeforeTheFirstByteThenLeftOutThenTakenBack() throws Exception {
        primary.failWith(500, null);
        for (int i = 0; i < 20; i++) {
            Calls.Reply r = Calls.openAi(server, KEY, "tiered", 5);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            String sse = Calls.drain(Calls.openStream(server, KEY, "tiered", 5));
            assertThat(sse).contains("data: [DONE]").doesNotContain("\"error\"");
        }
        // the breaker opened after its minimum of 4 failed calls: the primary was not asked again
        assertThat(primary.calls()).isEqualTo(4);
        assertThat(secondary.calls()).isEqualTo(23);

        primary.heal();
        Thread.sleep(2200);
        for (int i = 0; i < 10; i++) {
            assertThat(Calls.openAi(server, KEY, "tiered", 5).status()).isEqualTo(200);
        }
        // one probe call closed the breaker, and the primary tier took every call back
        assertThat(primary.calls()).isEqualTo(14);
        assertThat(secondary.calls()).isEqualTo(23);

        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT DISTINCT backend FROM usage_records WHERE model = 'tiered' ORDER BY backend")
                .query(String.class).list()).containsExactly("primary", "secondary");
    }

    @Test
    void aChannelThatAnswers429WithRetryAfterRestsThatLong() throws Exception {
        limited.failWith(429, "2");
        for (int i = 0; i < 6; i++) {
            assertThat(Calls.openAi(server, KEY, "cooling", 5).status()).isEqualTo(200);
        }
        assertThat(limited.calls()).isEqualTo(1);
        assertThat(spare.calls()).isEqualTo(6);
        limited.heal();
        Thread.sleep(2100);
        assertThat(Calls.openAi(server, KEY, "cooling", 5).status()).isEqualTo(200);
        assertThat(limited.calls()).isEqualTo(2);
    }

    @Test
    void aConversationsCallsStayOnOneChannelWhileDifferentConversationsSpread() {
        for (int i = 0; i < 20; i++) {
            Calls.Reply r = Calls.postWith(server, "/v1/chat/completions", KEY, Calls.chatBody("sticky", 5, false),
                    "x-tandem-affinity", "conversation-1");
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(Arrays.stream(STICKY).mapToInt(ChatUpstream::calls).max().orElseThrow()).isEqualTo(20);
        for (int i = 0; i < 60; i++) {
            Calls.postWith(server, "/v1/chat/completions", KEY, Calls.chatBody("sticky", 5, false),
                    "x-tandem-affinity", "conversation-" + (100 + i));
        }
        // 60 other conversations land on every channel
        assertThat(Arrays.stream(STICKY).mapToInt(ChatUpstream::calls).min().orElseThrow()).isPositive();
    }

    @Test
    void anAliasNamesTheSameModelAndIsBilledAsIt() {
        Calls.Reply r = Calls.openAi(server, KEY, "nick", 5);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-tandem-model")).isEqualTo("nicknamed");
        assertThat(Calls.openAi(server, KEY, "nick-latest", 5).status()).isEqualTo(200);
        assertThat(nicknamed.calls()).isEqualTo(2);
        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE model = 'nicknamed' AND status = 'completed'")
                .query(Long.class).single()).isEqualTo(2);
        assertThat(Calls.openAi(server, KEY, "nick-unknown", 5).status()).isEqualTo(404);
    }

    @Test
    void aFallbackModelAnswersOnlyForCallersThatAllowIt() {
        downA.failWith(503, null);
        downB.failWith(503, null);
        String body = Calls.chatBody("down", 5, false);
        Calls.Reply refused = Calls.postWith(server, "/v1/chat/completions", KEY, body);
        assertThat(refused.status()).isGreaterThanOrEqualTo(500);
        assertThat(backup.calls()).isZero();

        Calls.Reply answered = Calls.postWith(server, "/v1/chat/completions", KEY, body, "x-tandem-allow-fallbacks",
                "true");
        assertThat(answered.status()).as(answered.body().toString()).isEqualTo(200);
        assertThat(answered.header("x-tandem-model")).isEqualTo("backup");
        assertThat(backup.calls()).isEqualTo(1);
        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE model = 'backup' AND status = 'completed'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void whenEveryChannelIsDownTheCallerGetsAClearErrorInItsDialect() {
        downA.failWith(503, null);
        downB.failWith(503, null);
        Calls.Reply openAi = Calls.openAi(server, KEY, "down", 5);
        assertThat(openAi.status()).isEqualTo(502);
        assertThat(openAi.body().path("error").path("message").asString()).isNotBlank();
        Calls.Reply anthropic = Calls.anthropic(server, KEY, "down", 5);
        assertThat(anthropic.body().path("type").asString()).isEqualTo("error");
        for (int i = 0; i < 6; i++) {
            Calls.openAi(server, KEY, "down", 5);
        }
        // both breakers are open now: the next call is refused without asking either upstream
        int asked = downA.calls() + downB.calls();
        Calls.Reply refused = Calls.openAi(server, KEY, "down", 5);
        assertThat(refused.status()).isGreaterThanOrEqualTo(500);
        assertThat(refused.body().path("error").path("message").asString()).contains("out of service");
        assertThat(downA.calls() + downB.calls()).isEqualTo(asked);
    }
}
