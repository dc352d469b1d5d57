package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.store.StoreException.Reason;
import dev.tandem.support.Closing;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** StripeCheckout against a local server that answers as Stripe's Checkout Sessions API does. */
class StripeCheckoutTest {

    static final String KEY = "sk_test_51Tandem0123456789";

    record Received(String method, String path, Map<String, String> headers, Map<String, String> form) {
    }

    HttpServer server;
    HttpClient http;
    StripeCheckout checkout;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicReference<String> answer = new AtomicReference<>("""
            {"id":"cs_test_a1B2c3D4","object":"checkout.session","mode":"payment","status":"open",
             "url":"https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4#fidkdWxOYHwnPyd1blpxYHZxWjA0"}""");

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : List.of("Authorization", "Idempotency-Key", "Content-Type")) {
                headers.put(name, exchange.getRequestHeaders().getFirst(name));
            }
            Map<String, String> form = new LinkedHashMap<>();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, form));
            byte[] bytes = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        http = HttpClient.newHttpClient();
        checkout = new StripeCheckout(new StripeCheckout.Settings(KEY,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), Duration.ofSeconds(5)), http);
    }

    @AfterEach
    void stop() {
        Closing.all(() -> server.stop(0), http);
    }

    static StripeCheckout.SessionRequest request(ProductKind kind, int quantity) {
        return new StripeCheckout.SessionRequest("order-7f3a", "person-42",
                kind == ProductKind.CONSUMABLE ? "gems-500" : "membership-monthly", "price_1PqRGems", kind, quantity,
                "https://tandem.dev/shop/done?session={CHECKOUT_SESSION_ID}", "https://tandem.dev/shop");
    }

    @Test
    void createsAPackSessionWithKeyIdempotencyAndMetadata() {
        StripeCheckout.Session session = checkout.createSession(request(ProductKind.CONSUMABLE, 2));

        assertThat(session).isEqualTo(new StripeCheckout.Session("cs_test_a1B2c3D4",
                URI.create("https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4#fidkdWxOYHwnPyd1blpxYHZxWjA0")));
        Received call = received.getFirst();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/v1/checkout/sessions");
        assertThat(call.headers()).containsEntry("Authorization", "Bearer " + KEY)
                .containsEntry("Idempotency-Key", "order-7f3a")
                .containsEntry("Content-Type", "application/x-www-form-urlencoded");
        assertThat(call.form()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mode", "payment",
                "line_items[0][price]", "price_1PqRGems",
                "line_items[0][quantity]", "2",
                "success_url", "https://tandem.dev/shop/done?session={CHECKOUT_SESSION_ID}",
                "cancel_url", "https://tandem.dev/shop",
                "client_reference_id", "person-42",
                "metadata[tandem_person]", "person-42",
                "metadata[tandem_product]", "gems-500",
                "metadata[tandem_quantity]", "2"));
    }

    @Test
    void membershipSessionPutsOurIdsOnTheSubscriptionToo() {
        checkout.createSession(request(ProductKind.SUBSCRIPTION, 1));

        assertThat(received.getFirst().form()).containsEntry("mode", "subscription")
                .containsEntry("subscription_data[metadata][tandem_person]", "person-42")
                .containsEntry("subscription_data[metadata][tandem_product]", "membership-monthly");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(400, """
                        {"error":{"type":"invalid_request_error","code":"resource_missing",
                         "message":"No such price: 'price_1PqRGems'","param":"line_items[0][price]"}}""",
                        Reason.MISCONFIGURED, "No such price"),
                Arguments.of(401, """
                        {"error":{"type":"invalid_request_error",
                         "message":"Invalid API Key provided: sk_test_***789"}}""",
                        Reason.MISCONFIGURED, "Invalid API Key"),
                Arguments.of(429, "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Too many requests\"}}",
                        Reason.UPSTREAM, "429"),
                Arguments.of(500, "<html>oops</html>", Reason.UPSTREAM, "oops"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void translatesStripeErrors(int code, String body, Reason expected, String why) {
        status.set(code);
        answer.set(body);

        assertThatThrownBy(() -> checkout.createSession(request(ProductKind.CONSUMABLE, 1)))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected);
                    assertThat(e.getMessage()).contains(why).doesNotContain(KEY);
                });
    }

    @Test
    void requestsAreCheckedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> request(ProductKind.SUBSCRIPTION, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quantity must be between 1 and 1 for a SUBSCRIPTION, was 2");
        assertThatThrownBy(() -> new StripeCheckout.SessionRequest(" ", "p", "g", "price", ProductKind.CONSUMABLE, 1,
                "https://a", "https://b")).hasMessageContaining("idempotency key");
        assertThatThrownBy(() -> new StripeCheckout.SessionRequest("k", "p", "g", "price", ProductKind.CONSUMABLE, 1,
                "javascript:alert(1)", "https://b")).hasMessageContaining("successUrl must be an http(s) URL");
        assertThat(received).isEmpty();
    }
}
