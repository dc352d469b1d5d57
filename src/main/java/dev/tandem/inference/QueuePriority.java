package dev.tandem.inference;

/**
 * Where a call waits when the engine or channel it needs is full: higher priorities are let in first, calls of one
 * priority in the order they came. Nothing is pre-empted: a running call keeps its slot.
 */
public enum QueuePriority {
    /** Waits behind everyone (OpenAI's {@code service_tier: "flex"}). */
    LOW,
    /** The default. */
    NORMAL,
    /** Goes ahead of the others (members of the companion app; OpenAI's {@code service_tier: "priority"}). */
    HIGH
}
