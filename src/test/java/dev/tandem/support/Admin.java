package dev.tandem.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The management API of a test server, called with the platform admin key. */
public final class Admin {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TandemServer server;
    private final String key;

    public Admin(TandemServer server) {
        this(server, TandemServer.ADMIN_KEY);
    }

    public Admin(TandemServer server, String key) {
        this.server = server;
        this.key = key;
    }

    /** A response: status and JSON body. */
    public record Reply(int status, JsonNode body) {
        public JsonNode ok() {
            if (status / 100 != 2) {
                throw new AssertionError("HTTP " + status + ": " + body);
            }
            return body;
        }
    }

    public Reply call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new prepaid organization; returns its id. */
    public String prepaidOrganization(String name) {
        return call("POST", "/v1/admin/organizations", "{\"name\":\"" + name + "\",\"billing_mode\":\"prepaid\"}")
                .ok().path("id").asString();
    }

    /** A new key of {@code org} with these extra JSON fields (e.g. {@code "\"rpm\":10"}); returns its secret. */
    public String key(String org, String role, String extra) {
        String body = "{\"name\":\"test\",\"role\":\"" + role + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
        return call("POST", "/v1/admin/organizations/" + org + "/api_keys", body).ok().path("secret").asString();
    }

    public long grant(String org, String amount, String idempotencyKey) {
        return call("POST", "/v1/admin/organizations/" + org + "/credits", "{\"amount\":\"" + amount
                + "\",\"idempotency_key\":\"" + idempotencyKey + "\"}").ok().path("balance_micros").asLong();
    }

    /** Balance and held credits, in micro-units. */
    public long[] credits(String org) {
        JsonNode c = call("GET", "/v1/admin/organizations/" + org + "/credits", null).ok();
        return new long[] {c.path("balance_micros").asLong(), c.path("held_micros").asLong()};
    }
}
