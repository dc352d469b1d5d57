package dev.tandem.inference.engine;

import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.Part;
import dev.tandem.inference.ToolDefinition;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Writes canonical messages and tools in the OpenAI chat format: the shape OpenAI-compatible upstreams take and
 * the shape llama.cpp's chat-template code expects; and the sampler fields all three engines name alike.
 * Shared by the engines; dialect codecs have their own.
 */
public final class OpenAiChatJson {

    /** How an assistant turn's reasoning is handed back to the model. */
    public enum ReasoningStyle {
        /** {@code reasoning_content} beside {@code content} (vLLM, SGLang, DeepSeek, llama.cpp templates). */
        REASONING_CONTENT,
        /** {@code <think>…</think>} inline at the start of {@code content} (MiniMax's default). */
        THINK_TAGS,
        /** MiniMax's {@code reasoning_details} list. */
        REASONING_DETAILS,
        /** Dropped. */
        NONE;

        public static ReasoningStyle parse(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT).replace('-', '_')) {
                case "reasoning_content" -> REASONING_CONTENT;
                case "think_tags", "think" -> THINK_TAGS;
                case "reasoning_details" -> REASONING_DETAILS;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("reasoning-format must be reasoning_content, "
                        + "think_tags, reasoning_details or none, was " + value);
            };
        }
    }

    private OpenAiChatJson() {
    }

    public static void writeMessages(JsonGenerator g, List<ChatMessage> messages, ReasoningStyle style) {
        g.writeArrayPropertyStart("messages");
        for (ChatMessage m : messages) {
            writeMessage(g, m, style);
        }
        g.writeEndArray();
    }

    private static void writeMessage(JsonGenerator g, ChatMessage m, ReasoningStyle style) {
        g.writeStartObject();
        switch (m.role()) {
            case SYSTEM -> {
                g.writeStringProperty("role", "system");
                g.writeStringProperty("content", m.text());
            }
            case USER -> {
                g.writeStringProperty("role", "user");
                g.writeStringProperty("content", m.text());
            }
            case TOOL -> {
                g.writeStringProperty("role", "tool");
                Part.ToolResult result = m.parts().stream().filter(Part.ToolResult.class::isInstance)
                        .map(Part.ToolResult.class::cast).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("a tool message needs a tool result"));
                g.writeStringProperty("tool_call_id", result.toolCallId());
                g.writeStringProperty("content", result.content());
            }
            case ASSISTANT -> writeAssistant(g, m, style);
        }
        if (m.name() != null && m.role() != dev.tandem.inference.Role.TOOL) {
            g.writeStringProperty("name", m.name());
        }
        g.writeEndObject();
    }

    private static void writeAssistant(JsonGenerator g, ChatMessage m, ReasoningStyle style) {
        g.writeStringProperty("role", "assistant");
        String reasoning = m.reasoning();
        String text = m.text();
        if (!reasoning.isEmpty() && style == ReasoningStyle.THINK_TAGS) {
            text = "<think>\n" + reasoning + "\n</think>\n\n" + text;
        }
        List<Part.ToolCall> calls = m.toolCalls();
        if (text.isEmpty() && !calls.isEmpty()) {
            g.writeNullProperty("content");
        } else {
            g.writeStringProperty("content", text);
        }
        if (!reasoning.isEmpty()) {
            if (style == ReasoningStyle.REASONING_CONTENT) {
                g.writeStringProperty("reasoning_content", reasoning);
            } else if (style == ReasoningStyle.REASONING_DETAILS) {
                g.writeArrayPropertyStart("reasoning_details");
                g.writeStartObject();
                g.writeStringProperty("type", "reasoning.text");
                g.writeStringProperty("id", "reasoning-text-1");
                g.writeStringProperty("format", "MiniMax-response-v1");
                g.writeNumberProperty("index", 0);
                g.writeStringProperty("text", reasoning);
                g.writeEndObject();
                g.writeEndArray();
            }
        }
        if (!calls.isEmpty()) {
            g.writeArrayPropertyStart("tool_calls");
            for (Part.ToolCall c : calls) {
                g.writeStartObject();
                g.writeStringProperty("id", c.id());
                g.writeStringProperty("type", "function");
                g.writeObjectPropertyStart("function");
                g.writeStringProperty("name", c.name());
                g.writeStringProperty("arguments", c.arguments());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    /**
     * Writes {@code temperature}, {@code top_p} and {@code top_k} where the caller set them: the names OpenAI,
     * Anthropic and llama.cpp's server all use.
     */
    public static void writeSamplers(JsonGenerator g, dev.tandem.inference.Sampling s) {
        if (s.temperature() != null) {
            g.writeNumberProperty("temperature", s.temperature());
        }
        if (s.topP() != null) {
            g.writeNumberProperty("top_p", s.topP());
        }
        if (s.topK() != null) {
            g.writeNumberProperty("top_k", s.topK());
        }
    }

    /** Writes the stop sequences, if any, as an array named {@code name}. */
    public static void writeStops(JsonGenerator g, String name, List<String> stops) {
        if (stops.isEmpty()) {
            return;
        }
        g.writeArrayPropertyStart(name);
        for (String stop : stops) {
            g.writeString(stop);
        }
        g.writeEndArray();
    }

    public static void writeTools(JsonGenerator g, List<ToolDefinition> tools) {
        g.writeArrayPropertyStart("tools");
        for (ToolDefinition t : tools) {
            g.writeStartObject();
            g.writeStringProperty("type", "function");
            g.writeObjectPropertyStart("function");
            g.writeStringProperty("name", t.name());
            if (!t.description().isEmpty()) {
                g.writeStringProperty("description", t.description());
            }
            g.writeName("parameters");
            g.writeRawValue(t.parameters());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
