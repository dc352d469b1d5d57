package dev.tandem.billing;

/**
 * What a model's tokens cost, in micro-units per million tokens: the price a customer pays, or the cost Tandem pays
 * upstream. Reasoning tokens are output tokens.
 *
 * @param input       per million prompt tokens not served from a cache
 * @param cachedInput per million prompt tokens served from a prompt cache
 * @param output      per million generated tokens
 */
public record Rates(long input, long cachedInput, long output) {

    public static final Rates FREE = new Rates(0, 0, 0);

    public Rates {
        if (input < 0 || cachedInput < 0 || output < 0) {
            throw new IllegalArgumentException("rates must not be negative");
        }
    }

    /** The amount for this many tokens. */
    public long amount(long inputTokens, long cachedTokens, long outputTokens) {
        long uncached = Math.max(0, inputTokens - cachedTokens);
        return Math.addExact(Math.addExact(Money.perMillion(uncached, input), Money.perMillion(cachedTokens, cachedInput)),
                Money.perMillion(outputTokens, output));
    }

    /** These rates scaled by {@code basisPoints} / 10,000 (an organization's discount tier), rounded down. */
    public Rates scaled(int basisPoints) {
        if (basisPoints == 10_000) {
            return this;
        }
        return new Rates(input * basisPoints / 10_000, cachedInput * basisPoints / 10_000, output * basisPoints / 10_000);
    }
}
