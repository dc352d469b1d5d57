package dev.tandem.billing;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a call used, to be priced and recorded.
 *
 * @param backend         the engine or channel that served it
 * @param endpoint        the API dialect ({@code openai}, {@code anthropic}, {@code minimax}, …)
 * @param stream          whether it was streamed
 * @param inputTokens     prompt tokens, cached ones included
 * @param cachedTokens    prompt tokens served from a cache
 * @param outputTokens    generated tokens, reasoning included
 * @param reasoningTokens the reasoning part of the output
 * @param latencyMillis   from request start to the end
 * @param ttftMillis      to the first token, -1 when none came
 * @param status          {@code completed}, {@code client_closed}, {@code failed} or {@code shutdown}
 * @param cost            what the serving channel charges per million tokens, when it has its own rates (null: the
 *                        model's engine cost fixed at admission)
 */
public record Metered(String backend, String endpoint, boolean stream, long inputTokens, long cachedTokens,
        long outputTokens, long reasoningTokens, long latencyMillis, long ttftMillis, String status,
        @Nullable Rates cost) {

    public Metered {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(status, "status");
    }

    /** Failed calls bill nothing; everything else bills what was produced. */
    public boolean billable() {
        return !status.equals("failed");
    }
}
