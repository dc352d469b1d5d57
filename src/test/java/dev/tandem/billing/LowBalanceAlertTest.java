package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Prices;
import dev.tandem.support.TandemServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Low-balance alerts against a real HTTP receiver: sent once when a settlement takes the balance below the
 * threshold, signed so the receiver can check them, re-armed by a top-up, retried when the receiver fails or
 * hangs.
 */
class LowBalanceAlertTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static ChatUpstream upstream;
    static TandemServer server;
    static Admin admin;
    Receiver receiver;

    /** A webhook receiver; {@code behaviour} maps the attempt number (1, 2, …) to the status it answers. */
    static final class Receiver implements AutoCloseable {
        record Delivery(String signature, String eventId, String body) {
        }

        final HttpServer http;
        final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        final AtomicInteger attempts = new AtomicInteger();

        Receiver(IntUnaryOperator behaviour) throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/hook", exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    int status = behaviour.applyAsInt(attempts.incrementAndGet());
                    if (status == 0) { // hang past Tandem's timeout
                        Thread.sleep(3_000);
                        status = 200;
                    }
                    received.add(new Delivery(exchange.getRequestHeaders().getFirst("tandem-signature"),
                            exchange.getRequestHeaders().getFirst("tandem-event-id"), body));
                    exchange.sendResponseHeaders(status, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
        }

        Delivery next() throws InterruptedException {
            Delivery d = received.poll(10, TimeUnit.SECONDS);
            assertThat(d).as("a delivery within 10 s").isNotNull();
            return d;
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(10, 5);
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "m"));
        // a call: 10 × 10 + 5 × 1000 = 5,100 micro-units; it holds about 8,000 while it runs
        Prices.put(s, 0, "m", "10", "1000", null);
        s.put("tandem.billing.alerts.allow-private-addresses", "true");
        s.put("tandem.billing.alerts.poll", "100ms");
        s.put("tandem.billing.alerts.retry-backoff", "200ms");
        s.put("tandem.billing.alerts.timeout", "1s");
        server = TandemServer.start(s);
        admin = new Admin(server);
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

    @AfterEach
    void closeReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    /** An organization with {@code credits}, an alert at {@code threshold}; returns its admin, key and secret. */
    record Watched(String org, Admin admin, String key, String secret) {
    }

    static Watched watched(String name, String credits, String threshold, String url) {
        String org = admin.prepaidOrganization(name);
        admin.grant(org, credits, name + "-1");
        Admin orgAdmin = new Admin(server, admin.key(org, "admin", ""));
        JsonNode alert = orgAdmin.call("PUT", "/v1/organization/low_balance_alert",
                "{\"threshold\":\"" + threshold + "\",\"webhook_url\":\"" + url + "\"}").ok();
        assertThat(alert.path("signing_secret").asString()).startsWith("whsec_");
        assertThat(alert.path("alerted").asBoolean()).isFalse();
        return new Watched(org, orgAdmin, admin.key(org, "developer", ""), alert.path("signing_secret").asString());
    }

    static void call(Watched w) {
        assertThat(Calls.openAi(server, w.key(), "m", 5).status()).isEqualTo(200);
    }

    /** What a receiver does: recompute the HMAC over "t.body" with the secret and compare. */
    static void assertSigned(Receiver.Delivery d, String secret) throws Exception {
        assertThat(d.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
        String t = d.signature().substring(2, d.signature().indexOf(','));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + d.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(d.signature()).endsWith("v1=" + expected);
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t))).isLessThan(60);
    }

    @Test
    void alertsOnceWhenASettlementCrossesTheThresholdAndAgainAfterATopUp() throws Exception {
        receiver = new Receiver(attempt -> 200);
        Watched w = watched("dwindling", "0.020000", "0.012", receiver.url());

        call(w); // 14,900 left: above 12,000
        Thread.sleep(500);
        assertThat(receiver.received).as("no alert above the threshold").isEmpty();
        call(w); // 9,800 left: below

        Receiver.Delivery d = receiver.next();
        assertSigned(d, w.secret());
        JsonNode event = JSON.readTree(d.body());
        assertThat(event.path("type").asString()).isEqualTo("organization.balance.low");
        assertThat(event.path("id").asString()).isEqualTo(d.eventId());
        assertThat(event.path("data").path("organization_id").asString()).isEqualTo(w.org());
        assertThat(event.path("data").path("balance_micros").asLong()).isEqualTo(9_800);
        assertThat(event.path("data").path("threshold").asString()).isEqualTo("0.012000");

        call(w); // 4,700 left: still below, already alerted
        Thread.sleep(700);
        assertThat(receiver.received).as("once per crossing").isEmpty();
        JsonNode state = w.admin().call("GET", "/v1/organization/low_balance_alert", null).ok();
        assertThat(state.path("alerted").asBoolean()).isTrue();
        assertThat(state.path("deliveries").get(0).path("status").asString()).isEqualTo("delivered");

        admin.grant(w.org(), "0.010000", "dwindling-2"); // 14,700: above again, re-armed
        assertThat(w.admin().call("GET", "/v1/organization/low_balance_alert", null).ok().path("alerted").asBoolean())
                .isFalse();
        call(w); // 9,600: below again

        Receiver.Delivery second = receiver.next();
        assertSigned(second, w.secret());
        assertThat(JSON.readTree(second.body()).path("data").path("balance_micros").asLong()).isEqualTo(9_600);
        assertThat(second.eventId()).isNotEqualTo(d.eventId());
    }

    @Test
    void retriesAReceiverThatFailsOrHangsUntilItAnswers() throws Exception {
        // attempt 1 hangs past the 1 s timeout, attempt 2 fails, attempt 3 succeeds
        receiver = new Receiver(attempt -> attempt == 1 ? 0 : attempt == 2 ? 500 : 204);
        Watched w = watched("flaky", "0.020000", "0.016", receiver.url());

        call(w); // 14,900: below 16,000

        List<Receiver.Delivery> seen = List.of(receiver.next(), receiver.next(), receiver.next());
        assertThat(seen).extracting(Receiver.Delivery::eventId).as("the same event each time").containsOnly(
                seen.getFirst().eventId());
        for (Receiver.Delivery d : seen) {
            assertSigned(d, w.secret());
        }
        JsonNode delivery = null;
        for (int i = 0; i < 50; i++) {
            delivery = w.admin().call("GET", "/v1/organization/low_balance_alert", null).ok().path("deliveries").get(0);
            if (delivery.path("status").asString().equals("delivered")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(delivery.path("status").asString()).isEqualTo("delivered");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void rotatingReplacesTheSecretAndOtherChangesKeepIt() {
        Watched w = watched("rotating", "1.00", "0.5", "https://hooks.example.com/tandem");

        JsonNode rotated = w.admin().call("PUT", "/v1/organization/low_balance_alert",
                "{\"threshold\":\"0.5\",\"webhook_url\":\"https://hooks.example.com/tandem\",\"rotate_secret\":true}")
                .ok();
        JsonNode kept = w.admin().call("PUT", "/v1/organization/low_balance_alert",
                "{\"threshold\":\"0.6\",\"webhook_url\":\"https://hooks.example.com/tandem\"}").ok();

        assertThat(rotated.path("signing_secret").asString()).startsWith("whsec_").isNotEqualTo(w.secret());
        assertThat(kept.path("signing_secret").asString()).isEqualTo(rotated.path("signing_secret").asString());
        assertThat(kept.path("threshold_micros").asLong()).isEqualTo(600_000);
        JsonNode cleared = w.admin().call("PUT", "/v1/organization/low_balance_alert", "{}").ok();
        assertThat(cleared.path("threshold").isNull()).isTrue();
        assertThat(cleared.path("webhook_url").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"threshold\":\"-1\"}|threshold|must not be negative",
            "{\"threshold\":\"abc\"}|threshold|not an amount of money",
            "{\"webhook_url\":\"ftp://example.com/x\"}|webhook_url|http(s) URL",
            "{\"webhook_url\":\"/relative\"}|webhook_url|http(s) URL",
            "{\"webhook\":\"https://example.com\"}|webhook|unknown field",
            "{\"rotate_secret\":\"yes\"}|rotate_secret|expected a boolean"})
    void refusesBadSettings(String body, String param, String message) {
        Admin.Reply r = admin.call("PUT", "/v1/organization/low_balance_alert", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("error").path("param").asString()).isEqualTo(param);
        assertThat(r.body().path("error").path("message").asString()).contains(message);
    }
}
