package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.springframework.jdbc.core.simple.JdbcClient;

/** A retried request with the same Idempotency-Key is answered once and billed once, in every situation. */
class IdempotencyTest {

    static ChatUpstream upstream;
    static TandemServer server;
    static Admin admin;
    static JdbcClient jdbc;

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(10, 5);
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "priced"));
        s.put("tandem.inference.models[1].id", "down");
        s.put("tandem.inference.models[1].engine", "openai");
        s.put("tandem.inference.models[1].base-url", "http://127.0.0.1:9/v1");
        s.put("tandem.billing.prices[0].model", "priced");
        s.put("tandem.billing.prices[0].input", "1000");
        s.put("tandem.billing.prices[0].output", "1000");
        server = TandemServer.start(s);
        admin = new Admin(server);
        jdbc = server.context().getBean(JdbcClient.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** An organization with $10 and a developer key of it. */
    record Funded(String org, String key) {
        long usageRecords() {
            return jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE organization_id = :org").param("org", org)
                    .query(Long.class).single();
        }
    }

    static Funded funded(String name) {
        String org = admin.prepaidOrganization(name);
        admin.grant(org, "10.00", name);
        return new Funded(org, admin.key(org, "developer", ""));
    }

    @Test
    void aRetriedCallIsAnsweredAgainFromTheFirstAndBilledOnce() {
        Funded f = funded("idem-plain");
        String key = f.key();
        String org = f.org();
        long[] before = admin.credits(org);
        String body = Calls.chatBody("priced", 5, false);
        int calls = upstream.calls();

        Calls.Reply first = Calls.post(server, "/v1/chat/completions", key, body, "retry-1");
        Calls.Reply again = Calls.post(server, "/v1/chat/completions", key, body, "retry-1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.response().body()).isEqualTo(first.response().body());
        assertThat(again.header("idempotent-replayed")).isEqualTo("true");
        assertThat(again.header("x-request-id")).isEqualTo(first.header("x-request-id"));
        assertThat(upstream.calls() - calls).isEqualTo(1);
        assertThat(f.usageRecords()).isEqualTo(1);
        long[] after = admin.credits(org);
        assertThat(before[0] + before[1] - after[0] - after[1]).isEqualTo(15_000); // $0.015, once

        Calls.Reply other = Calls.post(server, "/v1/chat/completions", key, body, "retry-2");
        assertThat(other.header("idempotent-replayed")).isNull();
        assertThat(f.usageRecords()).isEqualTo(2);
    }

    @Test
    void aRetriedStreamGetsTheSameEvents() {
        Funded f = funded("idem-stream");
        String key = f.key();
        String body = Calls.chatBody("priced", 5, true);
        Calls.Reply first = Calls.post(server, "/v1/chat/completions", key, body, "s-1");
        Calls.Reply again = Calls.post(server, "/v1/chat/completions", key, body, "s-1");
        assertThat(first.response().body()).contains("[DONE]");
        assertThat(again.response().body()).isEqualTo(first.response().body());
        assertThat(again.response().headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(f.usageRecords()).isEqualTo(1);
    }

    @Test
    void aStreamWhoseClientLeftRunsOnSoTheRetryGetsAllOfIt() throws Exception {
        Funded f = funded("idem-cut");
        String key = f.key();
        String body = Calls.chatBody("priced", 5, true);
        upstream.hold();
        try {
            HttpResponse<InputStream> cut = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(server.url("/v1/chat/completions")))
                    .header("authorization", "Bearer " + key).header("idempotency-key", "cut-1")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(cut.body().read()).isPositive(); // the first event arrived
            cut.body().close(); // the client goes away mid-answer

            Calls.Reply whileRunning = Calls.post(server, "/v1/chat/completions", key, body, "cut-1");
            assertThat(whileRunning.status()).isEqualTo(409);
            assertThat(whileRunning.header("retry-after")).isEqualTo("1");
        } finally {
            upstream.release();
        }
        Calls.Reply retry;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((retry = Calls.post(server, "/v1/chat/completions", key, body, "cut-1")).status() == 409) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.response().body()).contains("[DONE]");
        assertThat(retry.response().body().split("\"content\":\"ok \"", -1)).hasSize(6); // all five words
        assertThat(f.usageRecords()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT status FROM usage_records WHERE organization_id = :o").param("o", f.org())
                .query(String.class).single()).isEqualTo("completed");
    }

    @Test
    void runsConcurrentDuplicatesOnce() throws Exception {
        Funded f = funded("idem-race");
        String key = f.key();
        String body = Calls.chatBody("priced", 5, false);
        List<Future<Calls.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                replies.add(pool.submit(() -> Calls.post(server, "/v1/chat/completions", key, body, "race-1")));
            }
        }
        int ok = 0;
        for (Future<Calls.Reply> reply : replies) {
            int status = reply.get().status();
            assertThat(status).isIn(200, 409);
            ok += status == 200 ? 1 : 0;
        }
        assertThat(ok).isPositive();
        assertThat(f.usageRecords()).isEqualTo(1);
    }

    @Test
    void refusesTheSameKeyForAnotherRequest() {
        Funded f = funded("idem-mismatch");
        String key = f.key();
        assertThat(Calls.post(server, "/v1/chat/completions", key, Calls.chatBody("priced", 5, false), "k").status())
                .isEqualTo(200);
        Calls.Reply other = Calls.post(server, "/v1/chat/completions", key, Calls.chatBody("priced", 6, false), "k");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().path("error").path("message").asString()).contains("different request");
        Calls.Reply anthropic = Calls.post(server, "/v1/messages", key, Calls.chatBody("priced", 5, false), "k");
        assertThat(anthropic.status()).isEqualTo(400); // another endpoint is another request
        assertThat(anthropic.body().path("error").path("type").asString()).isEqualTo("invalid_request_error");
    }

    @Test
    void keysBelongToTheirOrganization() {
        Funded fa = funded("idem-a");
        Funded fb = funded("idem-b");
        String a = fa.key();
        String b = fb.key();
        String body = Calls.chatBody("priced", 5, false);
        Calls.Reply fromA = Calls.post(server, "/v1/chat/completions", a, body, "shared-key");
        Calls.Reply fromB = Calls.post(server, "/v1/chat/completions", b, body, "shared-key");
        assertThat(fromB.header("idempotent-replayed")).isNull();
        assertThat(fromB.header("x-request-id")).isNotEqualTo(fromA.header("x-request-id"));
        assertThat(fb.usageRecords()).isEqualTo(1);
    }

    @Test
    void aFailedCallKeepsNothingSoItsRetryRunsAgain() {
        Funded f = funded("idem-fail");
        String key = f.key();
        String body = Calls.chatBody("down", 5, false);
        Calls.Reply first = Calls.post(server, "/v1/chat/completions", key, body, "f-1");
        Calls.Reply again = Calls.post(server, "/v1/chat/completions", key, body, "f-1");
        assertThat(first.status()).isEqualTo(502);
        assertThat(again.status()).isEqualTo(502);
        assertThat(again.header("idempotent-replayed")).isNull();
        Calls.Reply bad = Calls.post(server, "/v1/chat/completions", key, body, "x".repeat(300));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").path("message").asString()).contains("Idempotency-Key");
    }
}
