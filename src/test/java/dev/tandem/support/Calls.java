package dev.tandem.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Model calls over plain HTTP in each dialect, for tests that look at status codes, headers and error bodies. */
public final class Calls {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Calls() {
    }

    /** A reply: status, headers and JSON body. */
    public record Reply(int status, HttpResponse<String> response, JsonNode body) {
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    public static String chatBody(String model, int maxTokens, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say ok.\"}]}";
    }

    /** {@code POST /v1/chat/completions}, not streamed. */
    public static Reply openAi(TandemServer server, String key, String model, int maxTokens) {
        return post(server, "/v1/chat/completions", key, chatBody(model, maxTokens, false), null);
    }

    /** {@code POST /v1/messages}. */
    public static Reply anthropic(TandemServer server, String key, String model, int maxTokens) {
        return post(server, "/v1/messages", key, chatBody(model, maxTokens, false), null);
    }

    /** {@code POST /v1/text/chatcompletion_v2}. */
    public static Reply miniMax(TandemServer server, String key, String model, int maxTokens) {
        return post(server, "/v1/text/chatcompletion_v2", key, chatBody(model, maxTokens, false), null);
    }

    public static Reply post(TandemServer server, String path, String key, String body, String idempotencyKey) {
        return postWith(server, path, key, body, idempotencyKey == null ? new String[0]
                : new String[] {"idempotency-key", idempotencyKey});
    }

    /** A POST with extra headers, given as name, value, name, value… */
    public static Reply postWith(TandemServer server, String path, String key, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("authorization", "Bearer " + key).header("x-api-key", key)
                .header("content-type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isBlank() || r.body().startsWith("data:") || r.body().startsWith("event:")
                    ? JSON.createObjectNode() : JSON.readTree(r.body());
            return new Reply(r.statusCode(), r, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An OpenAI stream that has sent its first bytes; the caller reads or closes it. */
    public static HttpResponse<InputStream> openStream(TandemServer server, String key, String model, int maxTokens) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(server.url("/v1/chat/completions")))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody(model, maxTokens, true))).build();
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads a stream to its end. */
    public static String drain(HttpResponse<InputStream> stream) {
        try (InputStream in = stream.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits, when needed, until the current UTC minute has at least {@code needed} left, so that a test of
     * per-minute limits runs inside one window.
     */
    public static void awaitMinuteWithAtLeast(Duration needed) {
        long now = System.currentTimeMillis();
        long left = 60_000 - now % 60_000;
        if (left < needed.toMillis()) {
            try {
                Thread.sleep(left + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
