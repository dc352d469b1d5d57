package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.TandemServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error a caller can cause or meet, in every dialect: the status, the error shape and the words that tell
 * what went wrong. Never a stack trace, never a 500 for a client mistake.
 */
class ErrorTableTest {

    static TandemServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        Map<String, String> s = TandemServer.storiesSettings();
        s.put("tandem.inference.models[0].context-size", "256");
        s.put("tandem.inference.models[0].max-output-tokens", "128");
        s.put("tandem.inference.models[1].id", "busy");
        s.put("tandem.inference.models[1].engine", "llamacpp");
        s.put("tandem.inference.models[1].path", s.get("tandem.inference.models[0].path"));
        s.put("tandem.inference.models[1].parallel", "1");
        s.put("tandem.inference.models[1].max-queue", "0");
        s.put("tandem.inference.models[1].threads", "1");
        s.put("tandem.inference.models[2].id", "down");
        s.put("tandem.inference.models[2].engine", "openai");
        s.put("tandem.inference.models[2].base-url", "http://127.0.0.1:9/v1");
        s.put("tandem.gateway.max-request-bytes", "65536");
        server = TandemServer.start(s);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    enum Dialect {
        OPENAI("/v1/chat/completions"), ANTHROPIC("/v1/messages"), MINIMAX("/v1/text/chatcompletion_v2");

        final String path;

        Dialect(String path) {
            this.path = path;
        }

        /** A valid body for this dialect with these message texts and settings. */
        String body(String model, String userText, int maxTokens, String extra) {
            String text = JSON.writeValueAsString(userText);
            return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\","
                    + "\"content\":" + text + "}]" + extra + "}";
        }
    }

    /** One error case: how to make it, and what each dialect must answer. */
    record Case(String name, Function<Dialect, String> body, String apiKey, int openAiStatus, String openAiCode,
            int anthropicStatus, String anthropicType, int miniMaxCode, String mentions) {
    }

    static final String KEY = TandemServer.ADMIN_KEY;

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("invalid JSON", d -> "{\"model\": \"stories\", \"messages\": [", KEY,
                400, "invalid_request", 400, "invalid_request_error", 2013, "not valid JSON"));
        c.add(new Case("field of the wrong type", d -> d.body("stories", "hi", 8, ",\"temperature\":\"hot\""), KEY,
                400, "invalid_request", 400, "invalid_request_error", 2013, "temperature"));
        c.add(new Case("unknown model", d -> d.body("no-such-model", "hi", 8, ""), KEY,
                404, "model_not_found", 404, "not_found_error", 2013, "no-such-model"));
        c.add(new Case("missing key", d -> d.body("stories", "hi", 8, ""), "",
                401, "invalid_api_key", 401, "authentication_error", 1004, "API key"));
        c.add(new Case("wrong key", d -> d.body("stories", "hi", 8, ""), "tdm_not_a_real_key_at_all",
                401, "invalid_api_key", 401, "authentication_error", 1004, "Incorrect API key"));
        c.add(new Case("max_tokens over the model's limit", d -> d.body("stories", "hi", 5000, ""), KEY,
                400, "invalid_request", 400, "invalid_request_error", 2013, "max_tokens"));
        c.add(new Case("context too long", d -> d.body("stories", "word ".repeat(400), 8, ""), KEY,
                400, "context_length_exceeded", 400, "invalid_request_error", 2013, "maximum context length is 256"));
        c.add(new Case("body over the size limit", d -> d.body("stories", "x".repeat(100_000), 8, ""), KEY,
                413, "request_too_large", 413, "request_too_large", 2013, "65536 bytes"));
        c.add(new Case("upstream unavailable", d -> d.body("down", "hi", 8, ""), KEY,
                502, "upstream_error", 502, "api_error", 1013, "unavailable"));
        return c;
    }

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Case c : cases()) {
            for (Dialect d : Dialect.values()) {
                rows.add(Arguments.of(c.name(), d, c));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("table")
    void rendersEveryErrorInTheCallersDialect(String name, Dialect dialect, Case c) throws Exception {
        HttpResponse<String> r = post(dialect.path, c.body().apply(dialect), c.apiKey());

        assertThat(r.body()).doesNotContain("at dev.tandem").doesNotContain("Exception");
        assertThat(r.headers().firstValue("x-request-id")).isPresent();
        JsonNode body = JSON.readTree(r.body());
        switch (dialect) {
            case OPENAI -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(c.openAiStatus());
                assertThat(body.path("error").path("code").asString()).as(r.body()).isEqualTo(c.openAiCode());
                assertThat(body.path("error").path("message").asString()).contains(c.mentions());
            }
            case ANTHROPIC -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(c.anthropicStatus());
                assertThat(body.path("type").asString()).isEqualTo("error");
                assertThat(body.path("error").path("type").asString()).as(r.body()).isEqualTo(c.anthropicType());
                assertThat(body.path("error").path("message").asString()).contains(c.mentions());
                assertThat(body.path("request_id").asString()).isNotBlank();
            }
            case MINIMAX -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(body.path("base_resp").path("status_code").asInt()).as(r.body()).isEqualTo(c.miniMaxCode());
                assertThat(body.path("base_resp").path("status_msg").asString()).contains(c.mentions());
            }
        }
    }

    @ParameterizedTest(name = "overloaded in {0}")
    @MethodSource("dialects")
    void refusesWhenEverySlotIsBusyAndNoQueueIsAllowed(Dialect dialect) throws Exception {
        // Hold the only slot of "busy" with a stream that is read slowly, then ask again.
        HttpRequest hold = request(Dialect.OPENAI.path, Dialect.OPENAI.body("busy", "Once upon a time", 900,
                ",\"stream\":true,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\","
                        + "\"schema\":{\"type\":\"string\",\"minLength\":2000}}}"), KEY);
        HttpResponse<InputStream> held = HTTP.send(hold, HttpResponse.BodyHandlers.ofInputStream());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (held.statusCode() != 200 && System.nanoTime() < deadline) {
            // the slot is still being handed back by the previous case's stream
            held.body().close();
            Thread.sleep(20);
            held = HTTP.send(hold, HttpResponse.BodyHandlers.ofInputStream());
        }
        assertThat(held.statusCode()).as("the holding stream got the slot").isEqualTo(200);
        try (InputStream in = held.body()) {
            in.readNBytes(300); // the stream has started: the slot is taken
            HttpResponse<String> r = post(dialect.path, dialect.body("busy", "hi", 4, ""), KEY);
            JsonNode body = JSON.readTree(r.body());
            switch (dialect) {
                case OPENAI -> {
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(body.path("error").path("code").asString()).isEqualTo("overloaded");
                    assertThat(r.headers().firstValue("retry-after")).isPresent();
                }
                case ANTHROPIC -> {
                    assertThat(r.statusCode()).isEqualTo(529);
                    assertThat(body.path("error").path("type").asString()).isEqualTo("overloaded_error");
                }
                case MINIMAX -> assertThat(body.path("base_resp").path("status_code").asInt()).isEqualTo(1041);
            }
        }
    }

    static Stream<Dialect> dialects() {
        return Stream.of(Dialect.values());
    }

    static HttpRequest request(String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!key.isEmpty()) {
            b.header(path.startsWith("/v1/messages") ? "x-api-key" : "authorization",
                    path.startsWith("/v1/messages") ? key : "Bearer " + key);
        }
        return b.build();
    }

    static HttpResponse<String> post(String path, String body, String key) throws IOException, InterruptedException {
        return HTTP.send(request(path, body, key), HttpResponse.BodyHandlers.ofString());
    }
}
