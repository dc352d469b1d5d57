package dev.tandem.gacha;

/**
 * The draw engine's only source of chance: a stream of uniform integers in {@code [0, 1_000_000)}, one per
 * {@link #next()} call, compared against chances in parts per million. {@link ProvablyFair} is the stream for real
 * draws, {@link SeededRandom} the one for tests and simulations; a lambda can script exact values in a test.
 *
 * <p>A stream is stateful: it belongs to one draw at a time and is not thread-safe. The engine reads a fixed number
 * of values per pull ({@link DrawEngine#VALUES_PER_PULL}), so the same stream always yields the same pulls.
 */
@FunctionalInterface
public interface DrawRandom {

    /** The number of distinct values: one million, so a value compares directly with a chance in ppm. */
    int RANGE = 1_000_000;

    /** The next value, uniform in {@code [0, RANGE)}. */
    int next();
}
