package dev.tandem.gateway;

import dev.tandem.inference.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Published once per model call that reached an engine, whatever its outcome: what metering and usage reports
 * consume.
 *
 * @param requestId      the request's id
 * @param organizationId the caller's organization
 * @param apiKeyId       the key used
 * @param model          the public model id
 * @param dialect        {@code openai}, {@code anthropic} or {@code minimax}
 * @param stream         whether the answer was streamed
 * @param usage          tokens produced up to the end, also when the stream ended early
 * @param outcome        {@code completed}, {@code client_closed}, {@code failed} or {@code shutdown}
 * @param finishReason   the engine's finish reason when it completed
 * @param latencyMillis  from request start to the end of the answer
 * @param firstTokenMillis from request start to the first token, or -1 when none came
 */
public record ChatCompleted(
        String requestId,
        String organizationId,
        String apiKeyId,
        String model,
        String dialect,
        boolean stream,
        Usage usage,
        String outcome,
        @Nullable String finishReason,
        long latencyMillis,
        long firstTokenMillis) {
}
