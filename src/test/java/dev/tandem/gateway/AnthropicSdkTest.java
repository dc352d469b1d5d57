package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
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
import dev.tandem.support.TandemServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Anthropic Java SDK against a running Tandem serving the real stories260K model. */
class AnthropicSdkTest {

    static TandemServer server;
    static AnthropicClient client;

    @BeforeAll
    static void start() {
        server = TandemServer.start(TandemServer.storiesSettings());
        client = AnthropicOkHttpClient.builder().apiKey(TandemServer.ADMIN_KEY).baseUrl(server.anthropicBaseUrl())
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static MessageCreateParams.Builder greedy(String prompt, long maxTokens) {
        return MessageCreateParams.builder().model("stories").maxTokens(maxTokens).addUserMessage(prompt)
                .putAdditionalBodyProperty("temperature", JsonValue.from(0.0));
    }

    static String text(Message m) {
        StringBuilder sb = new StringBuilder();
        for (ContentBlock b : m.content()) {
            if (b.isText()) {
                sb.append(b.asText().text());
            }
        }
        return sb.toString();
    }

    @Test
    void answersWithATextBlockAndUsage() {
        Message m = client.messages().create(greedy("Once upon a time", 16).system("Tell a story.").build());

        assertThat(m.model().asString()).isEqualTo("stories");
        assertThat(text(m)).isNotBlank();
        assertThat(m.stopReason()).hasValue(StopReason.MAX_TOKENS);
        assertThat(m.usage().inputTokens()).isPositive();
        assertThat(m.usage().outputTokens()).isEqualTo(16);
    }

    @Test
    void streamsTheFullEventSequenceIntoTheSameMessage() {
        Message whole = client.messages().create(greedy("The big cat", 20).build());

        MessageAccumulator acc = MessageAccumulator.create();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(greedy("The big cat", 20).build())) {
            stream.stream().forEach(e -> {
                acc.accumulate(e);
                types.add(e.isMessageStart() ? "message_start" : e.isContentBlockStart() ? "content_block_start"
                        : e.isContentBlockDelta() ? "content_block_delta" : e.isContentBlockStop() ? "content_block_stop"
                        : e.isMessageDelta() ? "message_delta" : e.isMessageStop() ? "message_stop" : "other");
            });
        }
        Message streamed = acc.message();

        assertThat(types.getFirst()).isEqualTo("message_start");
        assertThat(types).containsSubsequence("content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(types.getLast()).isEqualTo("message_stop");
        assertThat(text(streamed)).isEqualTo(text(whole));
        assertThat(streamed.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());
    }

    @Test
    void roundTripsAToolUse() {
        Tool weather = Tool.builder().name("get_weather").description("Weather in a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string", "maxLength", 24))))
                        .required(List.of("city")).build())
                .build();
        Message call = client.messages().create(greedy("Weather in Rome?", 200).addTool(weather)
                .toolChoice(ToolChoiceAny.builder().build()).build());

        assertThat(call.stopReason()).hasValue(StopReason.TOOL_USE);
        ToolUseBlock use = call.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow().asToolUse();
        assertThat(use.name()).isEqualTo("get_weather");
        @SuppressWarnings("unchecked")
        Map<String, Object> input = use._input().convert(Map.class);
        assertThat(input.get("city")).isInstanceOf(String.class);

        Message answer = client.messages().create(greedy("Weather in Rome?", 12).addTool(weather)
                .addMessage(call)
                .addUserMessage(MessageContentParam.ofContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(use.id()).content("sunny, 24 C").build()))))
                .build());

        assertThat(text(answer)).isNotEmpty();
        assertThat(answer.usage().inputTokens()).isGreaterThan(call.usage().inputTokens());
    }

    @Test
    void reportsWhichStopSequenceEndedTheAnswer() {
        String free = text(client.messages().create(greedy("Once upon a time", 40).build()));
        String[] words = free.trim().split("\\s+");
        String stop = " " + words[3];

        Message m = client.messages().create(greedy("Once upon a time", 40).addStopSequence(stop).build());

        assertThat(m.stopReason()).hasValue(StopReason.STOP_SEQUENCE);
        assertThat(m.stopSequence()).hasValue(stop);
        assertThat(text(m)).isEqualTo(free.substring(0, free.indexOf(stop)));
    }

    @Test
    void countsTokensAsTheModelWouldSeeThem() {
        long shortCount = client.messages().countTokens(MessageCountTokensParams.builder().model("stories")
                .addUserMessage("Hi").build()).inputTokens();
        long longCount = client.messages().countTokens(MessageCountTokensParams.builder().model("stories")
                .addUserMessage("Hi, tell me a long story about a dog and a cat who were friends").build()).inputTokens();
        Message m = client.messages().create(greedy("Hi", 2).build());

        assertThat(shortCount).isEqualTo(m.usage().inputTokens());
        assertThat(longCount).isGreaterThan(shortCount + 10);
    }

    @Test
    void reportsErrorsAsTheSdkExpects() {
        AnthropicClient wrongKey = AnthropicOkHttpClient.builder().apiKey("tdm_wrong").baseUrl(server.anthropicBaseUrl())
                .maxRetries(0).build();
        assertThatThrownBy(() -> wrongKey.messages().create(greedy("hi", 4).build()))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> client.messages().create(greedy("hi", 4).model("nope").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("nope"));
        assertThatThrownBy(() -> client.messages().create(greedy("hi", 4)
                .putAdditionalBodyProperty("temperature", JsonValue.from(3.0)).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("temperature"));
    }
}
