package dev.tandem.gateway;

import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.FinishReason;
import dev.tandem.inference.Part;
import dev.tandem.inference.Role;
import dev.tandem.inference.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A whole answer, assembled from a stream's events for non-streamed responses: the assistant's parts in the
 * order they came (reasoning blocks, text, tool calls), why it ended, and its usage. Not thread-safe.
 */
public final class ChatResult {

    private enum Open { NONE, REASONING, TEXT, TOOL }

    private final List<Part> parts = new ArrayList<>();
    private final StringBuilder buffer = new StringBuilder();
    private Open open = Open.NONE;
    private @Nullable String reasoningSignature;
    private @Nullable String toolId;
    private @Nullable String toolName;
    private ChatEvent.@Nullable Done done;

    /** Adds one event, in stream order. */
    public void add(ChatEvent event) {
        switch (event) {
            case ChatEvent.ReasoningDelta r -> append(Open.REASONING, r.text());
            case ChatEvent.ReasoningSignature s -> reasoningSignature = s.signature();
            case ChatEvent.TextDelta t -> append(Open.TEXT, t.text());
            case ChatEvent.ToolCallStart s -> {
                close();
                open = Open.TOOL;
                toolId = s.id();
                toolName = s.name();
            }
            case ChatEvent.ToolCallDelta d -> {
                if (open == Open.TOOL) {
                    buffer.append(d.arguments());
                }
            }
            case ChatEvent.Done d -> {
                close();
                done = d;
            }
        }
    }

    private void append(Open kind, String text) {
        if (open != kind) {
            close();
            open = kind;
        }
        buffer.append(text);
    }

    private void close() {
        switch (open) {
            case REASONING -> parts.add(new Part.Reasoning(buffer.toString(), reasoningSignature));
            case TEXT -> parts.add(new Part.Text(buffer.toString()));
            case TOOL -> parts.add(new Part.ToolCall(Objects.requireNonNull(toolId), Objects.requireNonNull(toolName),
                    buffer.toString().isBlank() ? "{}" : buffer.toString()));
            case NONE -> { }
        }
        buffer.setLength(0);
        reasoningSignature = null;
        open = Open.NONE;
    }

    /** The assistant's content parts, in order. */
    public List<Part> parts() {
        return List.copyOf(parts);
    }

    /** The answer as an assistant message: its text, reasoning and tool calls. */
    public ChatMessage message() {
        return new ChatMessage(Role.ASSISTANT, parts, null);
    }

    public ChatEvent.Done done() {
        return Objects.requireNonNull(done, "the answer has not ended");
    }

    public FinishReason finishReason() {
        return done().reason();
    }

    public Usage usage() {
        return done().usage();
    }
}
