package dev.tandem.billing;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The billing module's one exception; {@link Kind} says what the caller can do. */
public class BillingException extends RuntimeException {

    public enum Kind {
        /** Not enough prepaid credits for the call's most expensive outcome. */
        INSUFFICIENT_BALANCE,
        /** A requests-per-minute limit was reached; retry after {@link #retryAfter()}. */
        RATE_LIMITED,
        /** A tokens-per-minute limit was reached; retry after {@link #retryAfter()} (when retrying can help). */
        TOKENS_LIMITED,
        /** The key has as many streams open as it may. */
        STREAMS_LIMITED,
        /** The key may not do this (model not allowed, spend limit reached). */
        FORBIDDEN,
        /** The request is wrong (an amount out of range, an unknown code). */
        INVALID,
        /** The database could not record the call. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final @Nullable Duration retryAfter;
    private final @Nullable RateLimitStatus limits;

    public BillingException(Kind kind, String message) {
        this(kind, message, null);
    }

    public BillingException(Kind kind, String message, @Nullable Duration retryAfter) {
        this(kind, message, retryAfter, null);
    }

    public BillingException(Kind kind, String message, @Nullable Duration retryAfter,
            @Nullable RateLimitStatus limits) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = retryAfter;
        this.limits = limits;
    }

    /** Where the refused call stood against its rate limits, for the response headers. */
    public @Nullable RateLimitStatus limits() {
        return limits;
    }

    public Kind kind() {
        return kind;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
