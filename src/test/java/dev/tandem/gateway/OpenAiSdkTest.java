package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.tandem.support.TandemServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The official OpenAI Java SDK against a running Tandem serving the real stories260K model. */
class OpenAiSdkTest {

    static TandemServer server;
    static OpenAIClient client;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        server = TandemServer.start(TandemServer.storiesSettings());
        client = OpenAIOkHttpClient.builder().apiKey(TandemServer.ADMIN_KEY).baseUrl(server.openAiBaseUrl())
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ChatCompletionCreateParams.Builder greedy(String prompt, long maxTokens) {
        return ChatCompletionCreateParams.builder().model("stories").addUserMessage(prompt)
                .maxCompletionTokens(maxTokens).temperature(0.0).seed(7);
    }

    @Test
    void answersPlainChatWithTextAndUsage() {
        ChatCompletion c = client.chat().completions().create(greedy("Once upon a time", 16).build());

        assertThat(c.model()).isEqualTo("stories");
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
        assertThat(c.usage()).hasValueSatisfying(u -> {
            assertThat(u.promptTokens()).isPositive();
            assertThat(u.completionTokens()).isBetween(1L, 16L);
            assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
        });
    }

    @Test
    void streamsTheSameAnswerChunkByChunkWithUsageAtTheEnd() {
        String whole = client.chat().completions().create(greedy("The little dog", 24).build())
                .choices().get(0).message().content().orElseThrow();

        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                greedy("The little dog", 24).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                acc.accumulate(chunk);
                chunks++;
            }
        }
        ChatCompletion streamed = acc.chatCompletion();

        assertThat(chunks).isGreaterThan(5);
        assertThat(streamed.choices().get(0).message().content()).hasValue(whole);
        assertThat(streamed.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isBetween(1L, 24L));
    }

    @Test
    void roundTripsAToolCall() {
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather")
                .description("Weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                                Map.of("type", "string", "maxLength", 24))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
        ChatCompletionCreateParams first = greedy("What is the weather in Paris?", 200)
                .addFunctionTool(weather)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                .build();

        ChatCompletion call = client.chat().completions().create(first);

        var choice = call.choices().get(0);
        assertThat(choice.finishReason().asString()).isEqualTo("tool_calls");
        ChatCompletionMessageFunctionToolCall toolCall = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(toolCall.function().name()).isEqualTo("get_weather");
        JsonNode args = JSON.readTree(toolCall.function().arguments());
        assertThat(args.path("city").isString()).as("arguments %s", args).isTrue();

        ChatCompletion answer = client.chat().completions().create(greedy("What is the weather in Paris?", 12)
                .addFunctionTool(weather)
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.id()).content("sunny, 21 C")
                        .build())
                .build());

        assertThat(answer.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).isNotEmpty());
        assertThat(answer.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(answer.usage().orElseThrow().promptTokens())
                .as("the tool result is part of the prompt").isGreaterThan(call.usage().orElseThrow().promptTokens());
    }

    @Test
    void constrainsOutputToAJsonSchema() {
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("place")
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                                        Map.of("type", "string", "maxLength", 16))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                .build())
                        .build())
                .build();

        ChatCompletion c = client.chat().completions().create(greedy("Where does Lily live?", 60)
                .responseFormat(format).temperature(0.8).build());

        JsonNode answer = JSON.readTree(c.choices().get(0).message().content().orElseThrow());
        assertThat(answer.isObject()).isTrue();
        assertThat(answer.path("city").isString()).as("answer %s", answer).isTrue();
    }

    @Test
    void endsAtAStopSequenceWithoutIncludingIt() {
        String free = client.chat().completions().create(greedy("Once upon a time", 40).build())
                .choices().get(0).message().content().orElseThrow();
        String[] words = free.trim().split("\\s+");
        assertThat(words.length).isGreaterThan(4);
        String stop = " " + words[3];
        String expected = free.substring(0, free.indexOf(stop));

        ChatCompletion c = client.chat().completions().create(greedy("Once upon a time", 40)
                .stop(ChatCompletionCreateParams.Stop.ofString(stop)).build());

        assertThat(c.choices().get(0).message().content()).hasValue(expected);
        assertThat(c.choices().get(0).finishReason().asString()).isEqualTo("stop");
    }

    @Test
    void reportsErrorsAsTheSdkExpects() {
        OpenAIClient wrongKey = OpenAIOkHttpClient.builder().apiKey("tdm_wrong").baseUrl(server.openAiBaseUrl())
                .maxRetries(0).build();
        assertThatThrownBy(() -> wrongKey.chat().completions().create(greedy("hi", 4).build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).hasValue("invalid_api_key");
                });
        assertThatThrownBy(() -> client.chat().completions().create(greedy("hi", 4).model("no-such-model").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).hasValue("model_not_found");
                    assertThat(e.getMessage()).contains("no-such-model");
                });
        assertThatThrownBy(() -> client.chat().completions().create(greedy("hi", 4).temperature(7.0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).hasValue("temperature");
                    assertThat(e.getMessage()).contains("temperature").contains("between 0");
                });
        assertThatThrownBy(() -> client.chat().completions().create(greedy("hi", 100_000).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage())
                        .contains("max_tokens is too large"));
    }
}
