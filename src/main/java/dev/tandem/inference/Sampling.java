package dev.tandem.inference;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How to pick tokens. A null field means "the engine's default".
 *
 * @param maxTokens   the most tokens to generate, reasoning included; null lets the catalog choose
 * @param temperature 0 for greedy decoding
 * @param topP        nucleus sampling mass in (0, 1]
 * @param topK        candidates kept, 0 disables
 * @param seed        for repeatable sampling where the engine supports it
 * @param stop        sequences that end generation; they are not part of the answer
 * @param ignoreEos   keep generating past the model's end-of-text token until {@code maxTokens} (vLLM's
 *                    {@code ignore_eos}: for benchmarks)
 */
public record Sampling(
        @Nullable Integer maxTokens,
        @Nullable Double temperature,
        @Nullable Double topP,
        @Nullable Integer topK,
        @Nullable Long seed,
        List<String> stop,
        boolean ignoreEos) {

    public static final Sampling DEFAULT = new Sampling(null, null, null, null, null, List.of(), false);

    public Sampling {
        stop = List.copyOf(stop);
    }

    public Sampling withMaxTokens(int max) {
        return new Sampling(max, temperature, topP, topK, seed, stop, ignoreEos);
    }
}
