package dev.tandem.inference;

/** Why generation ended. */
public enum FinishReason {
    /** The model ended its turn. */
    STOP,
    /** A caller-given stop sequence was produced (it is not part of the text). */
    STOP_SEQUENCE,
    /** The token limit was reached. */
    LENGTH,
    /** The model called one or more tools and waits for their results. */
    TOOL_CALLS,
    /** The engine withheld content. */
    CONTENT_FILTER
}
