package dev.tandem.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.Part;
import dev.tandem.inference.Role;
import dev.tandem.inference.ToolDefinition;
import dev.tandem.inference.engine.OpenAiChatJson.ReasoningStyle;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenAiChatJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final ChatMessage THOUGHTFUL_ANSWER = new ChatMessage(Role.ASSISTANT, List.of(
            new Part.Reasoning("The user greets me.", null),
            new Part.Text("Hello!")), null);

    private static JsonNode write(Consumer<JsonGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.accept(g);
            g.writeEndObject();
        }
        return JSON.readTree(out.toByteArray());
    }

    private static JsonNode messages(ReasoningStyle style, ChatMessage... messages) {
        return write(g -> OpenAiChatJson.writeMessages(g, List.of(messages), style)).get("messages");
    }

    private static JsonNode message(ReasoningStyle style, ChatMessage message) {
        JsonNode all = messages(style, message);
        assertThat(all.size()).isEqualTo(1);
        return all.get(0);
    }

    @Test
    void writesSystemAndUserMessagesWithTheirNames() {
        JsonNode out = messages(ReasoningStyle.REASONING_CONTENT,
                ChatMessage.of(Role.SYSTEM, "Be brief."),
                new ChatMessage(Role.USER, List.of(new Part.Text("Hi "), new Part.Text("there")), "alice"));

        assertThat(out.isArray()).isTrue();
        assertThat(out.get(0).propertyNames()).containsExactly("role", "content");
        assertThat(out.get(0).get("role").asString()).isEqualTo("system");
        assertThat(out.get(0).get("content").asString()).isEqualTo("Be brief.");
        assertThat(out.get(1).get("role").asString()).isEqualTo("user");
        assertThat(out.get(1).get("content").asString()).as("text parts are joined").isEqualTo("Hi there");
        assertThat(out.get(1).get("name").asString()).isEqualTo("alice");
    }

    @Test
    void writesAToolResultWithItsCallIdAndNoName() {
        JsonNode out = message(ReasoningStyle.REASONING_CONTENT, new ChatMessage(Role.TOOL,
                List.of(new Part.ToolResult("call_1", "{\"temp\":21}", false)), "get_weather"));

        assertThat(out.get("role").asString()).isEqualTo("tool");
        assertThat(out.get("tool_call_id").asString()).isEqualTo("call_1");
        assertThat(out.get("content").asString()).isEqualTo("{\"temp\":21}");
        assertThat(out.has("name")).isFalse();
    }

    @Test
    void rejectsAToolMessageWithoutAToolResult() {
        assertThatThrownBy(() -> messages(ReasoningStyle.NONE, ChatMessage.of(Role.TOOL, "orphan")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tool result");
    }

    @Test
    void handsReasoningBackAsReasoningContent() {
        JsonNode out = message(ReasoningStyle.REASONING_CONTENT, THOUGHTFUL_ANSWER);

        assertThat(out.get("role").asString()).isEqualTo("assistant");
        assertThat(out.get("content").asString()).isEqualTo("Hello!");
        assertThat(out.get("reasoning_content").asString()).isEqualTo("The user greets me.");
        assertThat(out.has("reasoning_details")).isFalse();
    }

    @Test
    void handsReasoningBackInThinkTagsBeforeTheText() {
        JsonNode out = message(ReasoningStyle.THINK_TAGS, THOUGHTFUL_ANSWER);

        assertThat(out.get("content").asString()).isEqualTo("<think>\nThe user greets me.\n</think>\n\nHello!");
        assertThat(out.has("reasoning_content")).isFalse();
        assertThat(out.has("reasoning_details")).isFalse();
    }

    @Test
    void handsReasoningBackAsMiniMaxReasoningDetails() {
        JsonNode out = message(ReasoningStyle.REASONING_DETAILS, THOUGHTFUL_ANSWER);

        assertThat(out.get("content").asString()).isEqualTo("Hello!");
        assertThat(out.has("reasoning_content")).isFalse();
        JsonNode details = out.get("reasoning_details");
        assertThat(details.isArray()).isTrue();
        assertThat(details.size()).isEqualTo(1);
        JsonNode d = details.get(0);
        assertThat(d.get("type").asString()).isEqualTo("reasoning.text");
        assertThat(d.get("id").asString()).isEqualTo("reasoning-text-1");
        assertThat(d.get("format").asString()).isEqualTo("MiniMax-response-v1");
        assertThat(d.get("index").asInt()).isZero();
        assertThat(d.get("text").asString()).isEqualTo("The user greets me.");
    }

    @Test
    void dropsReasoningWhenTheStyleIsNone() {
        JsonNode out = message(ReasoningStyle.NONE, THOUGHTFUL_ANSWER);

        assertThat(out.propertyNames()).containsExactly("role", "content");
        assertThat(out.get("content").asString()).isEqualTo("Hello!");
    }

    @ParameterizedTest
    @EnumSource(ReasoningStyle.class)
    void addsNoReasoningFieldsOrTagsToATurnWithoutReasoning(ReasoningStyle style) {
        JsonNode out = message(style, ChatMessage.of(Role.ASSISTANT, "Just text."));

        assertThat(out.propertyNames()).containsExactly("role", "content");
        assertThat(out.get("content").asString()).isEqualTo("Just text.");
    }

    @Test
    void writesToolCallsWithNullContentWhenThereIsNoText() {
        ChatMessage calls = new ChatMessage(Role.ASSISTANT, List.of(
                new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Part.ToolCall("call_2", "now", "{}")), null);

        JsonNode out = message(ReasoningStyle.REASONING_CONTENT, calls);

        assertThat(out.has("content")).isTrue();
        assertThat(out.get("content").isNull()).isTrue();
        JsonNode toolCalls = out.get("tool_calls");
        assertThat(toolCalls.size()).isEqualTo(2);
        JsonNode first = toolCalls.get(0);
        assertThat(first.get("id").asString()).isEqualTo("call_1");
        assertThat(first.get("type").asString()).isEqualTo("function");
        assertThat(first.get("function").get("name").asString()).isEqualTo("get_weather");
        assertThat(first.get("function").get("arguments").isString())
                .as("arguments travel as JSON text, as OpenAI sends them").isTrue();
        assertThat(first.get("function").get("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(toolCalls.get(1).get("id").asString()).isEqualTo("call_2");
    }

    @Test
    void writesTextBesideToolCalls() {
        ChatMessage m = new ChatMessage(Role.ASSISTANT, List.of(new Part.Reasoning("Need weather.", null),
                new Part.Text("Let me check."), new Part.ToolCall("call_1", "get_weather", "{}")), null);

        JsonNode out = message(ReasoningStyle.REASONING_CONTENT, m);

        assertThat(out.get("content").asString()).isEqualTo("Let me check.");
        assertThat(out.get("reasoning_content").asString()).isEqualTo("Need weather.");
        assertThat(out.get("tool_calls").size()).isEqualTo(1);
    }

    @Test
    void keepsReasoningInThinkTagsWhenTheTurnOnlyCalledTools() {
        ChatMessage m = new ChatMessage(Role.ASSISTANT, List.of(new Part.Reasoning("Need weather.", null),
                new Part.ToolCall("call_1", "get_weather", "{}")), null);

        JsonNode out = message(ReasoningStyle.THINK_TAGS, m);

        assertThat(out.get("content").asString()).isEqualTo("<think>\nNeed weather.\n</think>\n\n");
        assertThat(out.get("tool_calls").size()).isEqualTo(1);
    }

    @Test
    void writesAnEmptyAssistantTurnAsEmptyContent() {
        JsonNode out = message(ReasoningStyle.REASONING_CONTENT, new ChatMessage(Role.ASSISTANT, List.of(), null));

        assertThat(out.get("content").isString()).isTrue();
        assertThat(out.get("content").asString()).isEmpty();
        assertThat(out.has("tool_calls")).isFalse();
    }

    @Test
    void writesToolsWithTheirSchemaAsJsonAndNoEmptyDescription() {
        JsonNode tools = write(g -> OpenAiChatJson.writeTools(g, List.of(
                new ToolDefinition("get_weather", "Current weather for a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"),
                new ToolDefinition("now", "", "{\"type\":\"object\"}")))).get("tools");

        assertThat(tools.size()).isEqualTo(2);
        JsonNode weather = tools.get(0);
        assertThat(weather.get("type").asString()).isEqualTo("function");
        assertThat(weather.get("function").get("name").asString()).isEqualTo("get_weather");
        assertThat(weather.get("function").get("description").asString()).isEqualTo("Current weather for a city");
        JsonNode params = weather.get("function").get("parameters");
        assertThat(params.isObject()).as("the schema is embedded as JSON, not as a string").isTrue();
        assertThat(params.get("properties").get("city").get("type").asString()).isEqualTo("string");
        assertThat(params.get("required").get(0).asString()).isEqualTo("city");
        assertThat(tools.get(1).get("function").has("description")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "reasoning_content, REASONING_CONTENT",
            "Reasoning-Content, REASONING_CONTENT",
            "think_tags, THINK_TAGS",
            "think, THINK_TAGS",
            "THINK-TAGS, THINK_TAGS",
            "reasoning_details, REASONING_DETAILS",
            "none, NONE"})
    void parsesReasoningStyleNames(String value, ReasoningStyle expected) {
        assertThat(ReasoningStyle.parse(value)).isEqualTo(expected);
    }

    @Test
    void rejectsAnUnknownReasoningStyleNamingTheChoices() {
        assertThatThrownBy(() -> ReasoningStyle.parse("inline"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reasoning-format must be reasoning_content, think_tags, reasoning_details or none, was inline");
    }
}
