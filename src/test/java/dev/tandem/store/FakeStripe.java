package dev.tandem.store;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stripe's Checkout Sessions API on 127.0.0.1 ({@code POST /v1/checkout/sessions}, form-encoded, bearer key), as
 * documented: it answers each new Idempotency-Key with a new open session and repeats the same session for a key
 * it has seen, and keeps every request's form so tests can check what was sent.
 */
final class FakeStripe implements AutoCloseable {

    /** One request: its headers of interest and its form. */
    record Received(String path, String authorization, String idempotencyKey, Map<String, String> form) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final Map<String, String> sessionsByKey = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();

    FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/checkout/sessions", exchange -> {
            try (exchange) {
                Map<String, String> form = new LinkedHashMap<>();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                for (String pair : body.split("&")) {
                    String[] kv = pair.split("=", 2);
                    form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                            kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
                }
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                received.add(new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"), key, form));
                String id = sessionsByKey.computeIfAbsent(key == null ? "" : key,
                        k -> "cs_test_" + sessions.incrementAndGet() + "a1B2c3D4");
                byte[] bytes = """
                        {"id":"%s","object":"checkout.session","mode":"%s","status":"open",
                         "client_reference_id":"%s","url":"https://checkout.stripe.com/c/pay/%s#fidkdWxOYHwnPyd1"}"""
                        .formatted(id, form.get("mode"), form.get("client_reference_id"), id)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
