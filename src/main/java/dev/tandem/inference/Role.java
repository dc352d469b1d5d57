package dev.tandem.inference;

/** Who speaks a {@link ChatMessage}. OpenAI's {@code developer} role is decoded as {@link #SYSTEM}. */
public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL
}
