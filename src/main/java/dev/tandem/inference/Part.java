package dev.tandem.inference;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One piece of a {@link ChatMessage}'s content, in the order the speaker produced it. An assistant turn may
 * interleave reasoning, text and tool calls; a tool turn holds exactly one {@link ToolResult}.
 */
public sealed interface Part {

    /** Plain text. */
    record Text(String text) implements Part {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Reasoning the model produced before or between its answers. {@code engineSignature} is the opaque token an
     * engine attached to it (Anthropic's thinking signature) and must be given back to that engine unchanged; it
     * is null for engines that do not sign their reasoning.
     */
    record Reasoning(String text, @Nullable String engineSignature) implements Part {
        public Reasoning {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A call of a declared tool; {@code arguments} is a JSON object in text form. */
    record ToolCall(String id, String name, String arguments) implements Part {
        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /** The result of running the tool call {@code toolCallId}. */
    record ToolResult(String toolCallId, String content, boolean error) implements Part {
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            Objects.requireNonNull(content, "content");
        }
    }
}
