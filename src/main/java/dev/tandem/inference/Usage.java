package dev.tandem.inference;

/**
 * Tokens a call consumed.
 *
 * @param inputTokens       prompt tokens, cached ones included
 * @param cachedInputTokens prompt tokens served from a prompt cache
 * @param outputTokens      generated tokens, reasoning included
 * @param reasoningTokens   the part of {@code outputTokens} spent reasoning
 */
public record Usage(int inputTokens, int cachedInputTokens, int outputTokens, int reasoningTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage {
        if (inputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
