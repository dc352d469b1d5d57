package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageContentParam;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import dev.tandem.support.TandemServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Remote engines against a real server: Tandem "upstream" serves the local model; Tandem "gateway" reaches it
 * through its {@code openai} and {@code anthropic} engines, and clients of either dialect use either engine.
 */
class RemoteEnginesTest {

    static TandemServer upstream;
    static TandemServer gateway;
    static OpenAIClient openai;
    static AnthropicClient anthropic;
    static OpenAIClient openaiUpstream;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() throws IOException {
        Map<String, String> up = TandemServer.storiesSettings();
        up.put("tandem.inference.models[0].parallel", "4");
        up.put("tandem.inference.models[1].id", "thinker");
        up.put("tandem.inference.models[1].engine", "llamacpp");
        up.put("tandem.inference.models[1].path", up.get("tandem.inference.models[0].path"));
        up.put("tandem.inference.models[1].context-size", "1024");
        up.put("tandem.inference.models[1].threads", "1");
        up.put("tandem.inference.models[1].chat-template", new String(
                RemoteEnginesTest.class.getResourceAsStream("/templates/think.jinja").readAllBytes(),
                StandardCharsets.UTF_8));
        upstream = TandemServer.start(up);

        Map<String, String> gw = new java.util.LinkedHashMap<>();
        remote(gw, 0, "via-openai", "openai", upstream.url("/v1"), "stories");
        remote(gw, 1, "via-anthropic", "anthropic", upstream.url(""), "stories");
        remote(gw, 2, "thinker-via-openai", "openai", upstream.url("/v1"), "thinker");
        remote(gw, 3, "thinker-via-anthropic", "anthropic", upstream.url(""), "thinker");
        remote(gw, 4, "down", "openai", "http://127.0.0.1:9/v1", "x");
        gateway = TandemServer.start(gw);

        openai = OpenAIOkHttpClient.builder().apiKey(TandemServer.ADMIN_KEY).baseUrl(gateway.openAiBaseUrl())
                .maxRetries(0).build();
        anthropic = AnthropicOkHttpClient.builder().apiKey(TandemServer.ADMIN_KEY).baseUrl(gateway.anthropicBaseUrl())
                .maxRetries(0).build();
        openaiUpstream = OpenAIOkHttpClient.builder().apiKey(TandemServer.ADMIN_KEY).baseUrl(upstream.openAiBaseUrl())
                .maxRetries(0).build();
    }

    private static void remote(Map<String, String> s, int i, String id, String engine, String url, String model) {
        String p = "tandem.inference.models[" + i + "].";
        s.put(p + "id", id);
        s.put(p + "engine", engine);
        s.put(p + "base-url", url);
        s.put(p + "api-key", TandemServer.ADMIN_KEY);
        s.put(p + "upstream-model", model);
        s.put(p + "max-output-tokens", "512");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static ChatCompletionCreateParams.Builder chat(String model, String prompt, long max) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).maxCompletionTokens(max)
                .temperature(0.0);
    }

    static MessageCreateParams.Builder message(String model, String prompt, long max) {
        return MessageCreateParams.builder().model(model).maxTokens(max).addUserMessage(prompt)
                .putAdditionalBodyProperty("temperature", JsonValue.from(0.0));
    }

    static String text(Message m) {
        return m.content().stream().filter(ContentBlock::isText).map(b -> b.asText().text())
                .reduce("", String::concat);
    }

    @Test
    void openAiClientOverEitherEngineGetsTheUpstreamAnswer() {
        ChatCompletion direct = openaiUpstream.chat().completions().create(chat("stories", "Once upon a time", 16).build());
        String expected = direct.choices().get(0).message().content().orElseThrow();

        for (String model : List.of("via-openai", "via-anthropic")) {
            ChatCompletion c = openai.chat().completions().create(chat(model, "Once upon a time", 16).build());
            assertThat(c.choices().get(0).message().content()).as(model).hasValue(expected);
            assertThat(c.usage().orElseThrow().promptTokens()).as(model)
                    .isEqualTo(direct.usage().orElseThrow().promptTokens());
            assertThat(c.usage().orElseThrow().completionTokens()).as(model).isEqualTo(16);
        }
    }

    @Test
    void streamsPassThroughTokenByToken() {
        for (String model : List.of("via-openai", "via-anthropic")) {
            ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
            int[] contentChunks = {0};
            try (var stream = openai.chat().completions().createStreaming(chat(model, "The dog", 24).build())) {
                stream.stream().forEach(chunk -> {
                    acc.accumulate(chunk);
                    if (!chunk.choices().isEmpty() && chunk.choices().get(0).delta().content().filter(s -> !s.isEmpty()).isPresent()) {
                        contentChunks[0]++;
                    }
                });
            }
            assertThat(contentChunks[0]).as(model + ": one chunk per token").isGreaterThanOrEqualTo(20);
            assertThat(acc.chatCompletion().choices().get(0).message().content().orElseThrow()).isNotBlank();
        }
    }

    @Test
    void anthropicClientOverTheOpenAiEngineRoundTripsAToolUse() {
        Tool weather = Tool.builder().name("get_weather").description("Weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string", "maxLength", 20))))
                        .required(List.of("city")).build())
                .build();
        for (String model : List.of("via-openai", "via-anthropic")) {
            Message call = anthropic.messages().create(message(model, "Weather in Oslo?", 200).addTool(weather)
                    .toolChoice(ToolChoiceAny.builder().build()).build());
            assertThat(call.stopReason()).as(model).hasValue(StopReason.TOOL_USE);
            ToolUseBlock use = call.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow()
                    .asToolUse();
            assertThat(use.name()).isEqualTo("get_weather");

            Message answer = anthropic.messages().create(message(model, "Weather in Oslo?", 8).addTool(weather)
                    .addMessage(call)
                    .addUserMessage(MessageContentParam.ofContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                            ToolResultBlockParam.builder().toolUseId(use.id()).content("snow").build()))))
                    .build());
            assertThat(text(answer)).as(model).isNotEmpty();
        }
    }

    @Test
    void openAiClientOverTheAnthropicEngineCallsTools() {
        FunctionDefinition fn = FunctionDefinition.builder().name("lookup").parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(Map.of("q",
                        Map.of("type", "string", "maxLength", 12))))
                .putAdditionalProperty("required", com.openai.core.JsonValue.from(List.of("q"))).build()).build();

        ChatCompletion c = openai.chat().completions().create(chat("via-anthropic", "Find cats", 200).addFunctionTool(fn)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());

        assertThat(c.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
        var call = c.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(JSON.readTree(call.function().arguments()).path("q").isString()).isTrue();
    }

    @Test
    void jsonModeWorksOverTheAnthropicEngine() {
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("cat")
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(Map.of("name",
                                        Map.of("type", "string", "maxLength", 16))))
                                .putAdditionalProperty("required", com.openai.core.JsonValue.from(List.of("name")))
                                .putAdditionalProperty("additionalProperties", com.openai.core.JsonValue.from(false))
                                .build())
                        .build())
                .build();
        ChatCompletion c = openai.chat().completions().create(chat("via-anthropic", "Name a cat", 200)
                .responseFormat(format).build());

        JsonNode answer = JSON.readTree(c.choices().get(0).message().content().orElseThrow());
        assertThat(answer.path("name").isString()).as("answer %s", answer).isTrue();
        assertThat(c.choices().get(0).finishReason().asString()).isEqualTo("stop");
    }

    @Test
    void signedThinkingTravelsThroughTwoTandems() {
        Message first = anthropic.messages().create(message("thinker-via-anthropic", "Why is the sky blue?", 16).build());
        var thinking = first.content().get(0).asThinking();
        assertThat(thinking.thinking()).isNotBlank();

        // The upstream Tandem verifies its own signature inside ours: a wrong one would fail this call.
        Message next = anthropic.messages().create(message("thinker-via-anthropic", "Why is the sky blue?", 4)
                .addMessage(first).addUserMessage("And at night?").build());
        long withThinking = next.usage().inputTokens();
        long withoutThinking = anthropic.messages().countTokens(MessageCountTokensParams.builder()
                .model("thinker-via-anthropic").addUserMessage("Why is the sky blue?")
                .addAssistantMessage("ok").addUserMessage("And at night?").build()).inputTokens();
        assertThat(withThinking).isGreaterThan(withoutThinking + 10);
    }

    @Test
    void reasoningContentTravelsThroughTheOpenAiEngine() {
        ChatCompletion c = openai.chat().completions().create(chat("thinker-via-openai", "Why?", 8).build());

        assertThat(c.choices().get(0).message()._additionalProperties().get("reasoning_content").asStringOrThrow())
                .isNotBlank();
        assertThat(c.usage().orElseThrow().completionTokensDetails().orElseThrow().reasoningTokens()).hasValue(8L);
    }

    @Test
    void anthropicStreamOverTheOpenAiEngineIsComplete() {
        MessageAccumulator acc = MessageAccumulator.create();
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> s = anthropic.messages()
                .createStreaming(message("via-openai", "The cat", 12).build())) {
            s.stream().forEach(acc::accumulate);
        }
        Message m = acc.message();
        assertThat(text(m)).isNotBlank();
        assertThat(m.usage().outputTokens()).isEqualTo(12);
        assertThat(m.stopReason()).hasValue(StopReason.MAX_TOKENS);
    }

    @Test
    void unreachableUpstreamIsABadGatewayNotAClientError() {
        assertThatThrownBy(() -> openai.chat().completions().create(chat("down", "hi", 4).build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("down").contains("unavailable");
                });
    }
}
