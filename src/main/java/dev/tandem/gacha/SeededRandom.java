package dev.tandem.gacha;

import java.util.SplittableRandom;

/**
 * A fast reproducible {@link DrawRandom} for tests and simulations: {@link SplittableRandom} from a fixed seed. Not
 * for real draws, whose values must be verifiable by the player ({@link ProvablyFair}). Not thread-safe: a
 * simulation running on several threads gives each its own stream, from its own seed.
 */
public final class SeededRandom implements DrawRandom {

    private final SplittableRandom random;

    public SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int next() {
        return random.nextInt(RANGE);
    }
}
