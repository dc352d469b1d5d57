package dev.tandem.billing;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The billing module's one exception; {@link Kind} says what the caller can do. */
public class BillingException extends RuntimeException {

    public enum Kind {
        /** Not enough prepaid credits for the call's most expensive outcome. */
        INSUFFICIENT_BALANCE,
        /** A request or token limit was reached; retry after {@link #retryAfter()}. */
        RATE_LIMITED,
        /** The key may not do this (model not allowed, spend limit reached). */
        FORBIDDEN,
        /** The request is wrong (an amount out of range, an unknown code). */
        INVALID,
        /** The database could not record the call. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final @Nullable Duration retryAfter;

    public BillingException(Kind kind, String message) {
        this(kind, message, null);
    }

    public BillingException(Kind kind, String message, @Nullable Duration retryAfter) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
