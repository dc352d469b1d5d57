package dev.tandem.inference;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One turn of a conversation in canonical form.
 *
 * @param role  who speaks
 * @param parts the content in order; never null, may be empty for an assistant turn that only called tools
 * @param name  an optional participant name (OpenAI's {@code name})
 */
public record ChatMessage(Role role, List<Part> parts, @Nullable String name) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
    }

    public static ChatMessage of(Role role, String text) {
        return new ChatMessage(role, List.of(new Part.Text(text)), null);
    }

    /** All text parts joined, without reasoning. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Part.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** All reasoning parts joined. */
    public String reasoning() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Part.Reasoning r) {
                sb.append(r.text());
            }
        }
        return sb.toString();
    }

    public List<Part.ToolCall> toolCalls() {
        return parts.stream().filter(Part.ToolCall.class::isInstance).map(Part.ToolCall.class::cast).toList();
    }
}
