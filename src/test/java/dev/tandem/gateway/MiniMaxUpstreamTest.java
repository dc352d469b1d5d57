package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.FakeUpstream;
import dev.tandem.support.TandemServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * MiniMax as an upstream, through fixtures written from its documented wire format: reasoning in all three of
 * its shapes, interleaved thinking handed back the way MiniMax wants it, status codes inside HTTP 200, and a
 * stream that breaks off.
 */
class MiniMaxUpstreamTest {

    static FakeUpstream minimax;
    static TandemServer server;
    static final List<ChatCompleted> completed = new CopyOnWriteArrayList<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        minimax = new FakeUpstream("minimax");
        Map<String, String> s = new LinkedHashMap<>();
        String[][] models = {
            {"cumulative", "reasoning_details"}, {"incremental", "reasoning_details"}, {"inline", "think_tags"},
            {"toolcall", "reasoning_details"}, {"broken", "think_tags"}, {"balance", "think_tags"}};
        for (int i = 0; i < models.length; i++) {
            String p = "tandem.inference.models[" + i + "].";
            s.put(p + "id", "mm-" + models[i][0]);
            s.put(p + "engine", "openai");
            s.put(p + "base-url", minimax.baseUrl());
            s.put(p + "api-key", "sk-minimax-test");
            s.put(p + "upstream-model", models[i][0]);
            s.put(p + "reasoning-format", models[i][1]);
        }
        server = TandemServer.start(s);
        server.context().addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
            if (e.getPayload() instanceof ChatCompleted c) {
                completed.add(c);
            }
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (minimax != null) {
            minimax.close();
        }
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("authorization", "Bearer " + TandemServer.ADMIN_KEY)
                .header("x-api-key", TandemServer.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String ask(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"mm-cumulative", "mm-incremental", "mm-inline"})
    void everyReasoningShapeArrivesAsTheSameReasoningAndAnswer(String model) throws Exception {
        JsonNode message = JSON.readTree(post("/v1/chat/completions", ask(model, false)).body())
                .path("choices").path(0).path("message");
        assertThat(message.path("reasoning_content").asString()).isEqualTo("The user greets me.");
        assertThat(message.path("content").asString()).isEqualTo("Hello there");

        String streamed = post("/v1/chat/completions", ask(model, true)).body();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        for (String line : streamed.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode delta = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta");
                reasoning.append(delta.path("reasoning_content").asString(""));
                content.append(delta.path("content").asString(""));
            }
        }
        assertThat(reasoning.toString()).isEqualTo("The user greets me.");
        assertThat(content.toString()).isEqualTo("Hello there");
    }

    @Test
    void usageIncludingReasoningTokensComesFromTheUpstream() throws Exception {
        JsonNode usage = JSON.readTree(post("/v1/chat/completions", ask("mm-incremental", false)).body()).path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(12);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(9);
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void streamedToolCallKeepsItsIdAndArguments() throws Exception {
        String body = post("/v1/text/chatcompletion_v2", "{\"model\":\"mm-toolcall\",\"stream\":true,"
                + "\"reasoning_split\":true,\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]}").body();
        StringBuilder args = new StringBuilder();
        String id = null;
        String finish = null;
        String reasoning = "";
        for (String line : body.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = JSON.readTree(line.substring(6));
                JsonNode choice = chunk.path("choices").path(0);
                for (JsonNode call : choice.path("delta").path("tool_calls")) {
                    if (call.has("id")) {
                        id = call.path("id").asString();
                    }
                    args.append(call.path("function").path("arguments").asString(""));
                }
                for (JsonNode d : choice.path("delta").path("reasoning_details")) {
                    reasoning += d.path("text").asString();
                }
                if (choice.path("finish_reason").isString()) {
                    finish = choice.path("finish_reason").asString();
                }
                assertThat(chunk.path("base_resp").path("status_code").asInt(0)).isZero();
            }
        }
        assertThat(id).isEqualTo("call_function_1_1");
        assertThat(JSON.readTree(args.toString()).path("city").asString()).isEqualTo("Paris");
        assertThat(reasoning).isEqualTo("I need the weather tool.");
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void reasoningGoesBackUpstreamInTheConfiguredShape() throws Exception {
        String history = ",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"content\":\"\",\"reasoning_content\":\"I need the weather tool.\","
                + "\"tool_calls\":[{\"id\":\"call_function_1_1\",\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_function_1_1\",\"content\":\"sunny\"}]}";

        post("/v1/chat/completions", "{\"model\":\"mm-cumulative\",\"max_tokens\":50" + history);
        JsonNode details = minimax.requests().getLast();
        JsonNode assistant = details.path("messages").path(1);
        assertThat(details.path("reasoning_split").asBoolean()).isTrue();
        assertThat(assistant.path("reasoning_details").path(0).path("text").asString()).isEqualTo("I need the weather tool.");
        assertThat(assistant.path("tool_calls").path(0).path("id").asString()).isEqualTo("call_function_1_1");
        assertThat(details.path("messages").path(2).path("tool_call_id").asString()).isEqualTo("call_function_1_1");

        post("/v1/chat/completions", "{\"model\":\"mm-inline\",\"max_tokens\":50" + history);
        JsonNode tags = minimax.requests().getLast();
        assertThat(tags.path("messages").path(1).path("content").asString())
                .startsWith("<think>\nI need the weather tool.\n</think>");
    }

    @Test
    void aStatusCodeInsideHttp200IsAnUpstreamFailureNotTheCallersFault() throws Exception {
        HttpResponse<String> openai = post("/v1/chat/completions", ask("mm-balance", false));
        assertThat(openai.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(openai.body()).path("error").path("message").asString())
                .contains("1008").contains("insufficient balance");

        JsonNode native_ = JSON.readTree(post("/v1/text/chatcompletion_v2", ask("mm-balance", false)).body());
        assertThat(native_.path("base_resp").path("status_code").asInt()).isEqualTo(1013);
    }

    @Test
    void aBrokenStreamEndsWithAnErrorEventInEachDialectAndBillsWhatWasDelivered() throws Exception {
        String openai = post("/v1/chat/completions", ask("mm-broken", true)).body();
        assertThat(openai).contains("\"content\":\"Hello\"").contains("\"error\"").contains("before finishing")
                .doesNotContain("[DONE]");

        String anthropic = post("/v1/messages", "{\"model\":\"mm-broken\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body();
        assertThat(anthropic).contains("text_delta").contains("event: error").contains("api_error")
                .doesNotContain("message_stop");

        ChatCompleted failed = completed.stream().filter(c -> c.model().equals("mm-broken")).findFirst().orElseThrow();
        assertThat(failed.outcome()).isEqualTo("failed");
        assertThat(failed.usage().outputTokens()).as("tokens delivered before the break").isPositive();
    }
}
