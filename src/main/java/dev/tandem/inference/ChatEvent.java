package dev.tandem.inference;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an engine produces while it answers, in order. Every stream ends with exactly one {@link Done}.
 * Reasoning and text may interleave; a {@link ReasoningDelta} after text starts a new reasoning block.
 */
public sealed interface ChatEvent {

    /** A piece of reasoning. */
    record ReasoningDelta(String text) implements ChatEvent {
        public ReasoningDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The engine's signature for the reasoning block just finished (Anthropic engines only). */
    record ReasoningSignature(String signature) implements ChatEvent {
        public ReasoningSignature {
            Objects.requireNonNull(signature, "signature");
        }
    }

    /** A piece of the answer. */
    record TextDelta(String text) implements ChatEvent {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A tool call begins; its arguments follow as {@link ToolCallDelta}s with the same index. */
    record ToolCallStart(int index, String id, String name) implements ChatEvent {
        public ToolCallStart {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A fragment of a tool call's JSON arguments. */
    record ToolCallDelta(int index, String arguments) implements ChatEvent {
        public ToolCallDelta {
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /** The end: why, and what it cost. {@code stopSequence} is set when {@code reason} is STOP_SEQUENCE. */
    record Done(FinishReason reason, Usage usage, @Nullable String stopSequence) implements ChatEvent {
        public Done {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(usage, "usage");
        }
    }
}
