package dev.tandem.gateway;

import dev.tandem.billing.RateLimitStatus;
import dev.tandem.identity.ApiKeyPrincipal;
import org.jspecify.annotations.Nullable;

/**
 * Where a model call comes from, as {@link ChatPipeline} needs to know it: who is billed, the ids it is recorded
 * under, and the caller's wishes (fallbacks, sticky routing). An HTTP request of any dialect is one; the companion
 * app calling in-process is another. Used by one thread.
 */
public interface CallOrigin {

    /** What the usage record and metrics call the caller's wire format: {@code openai}, …, {@code internal}. */
    String dialectName();

    /** The API key billed for the call. */
    ApiKeyPrincipal principal();

    /** A server-made id unique to this call, what usage and billing are keyed on. */
    String callId();

    /** The request id reported back to the caller and kept in logs. */
    String requestId();

    /** {@link System#nanoTime()} when the call arrived. */
    long startedNanos();

    /** A caller-supplied header ({@code traceparent}, {@code x-tandem-affinity}), or null. */
    @Nullable String requestHeader(String name);

    /** Whether fallback models may answer: true, false, or null for the organization's setting. */
    @Nullable Boolean fallbacksWanted();

    /**
     * Whether the call's {@link dev.tandem.inference.QueuePriority#HIGH} is honoured: by default where the
     * organization has the priority tier. A caller that sets priorities itself (the companion app for its members)
     * says so here.
     */
    default boolean mayGoFirst() {
        return principal().priorityTier();
    }

    /** Told the caller's rate-limit state after admission. */
    default void rateLimits(RateLimitStatus limits) {
    }

    /** Told which catalog model answers (an alias resolved, or a fallback). */
    default void answeringModel(String model) {
    }
}
