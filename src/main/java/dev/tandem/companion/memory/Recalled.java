package dev.tandem.companion.memory;

import java.util.Objects;

/**
 * A memory returned by {@link ChatMemory#recall}, with its cosine similarity to the query (-1 to 1). Pinned
 * memories are returned whatever their score.
 */
public record Recalled(Memory memory, float score) {

    public Recalled {
        Objects.requireNonNull(memory, "memory");
    }
}
