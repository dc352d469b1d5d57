package dev.tandem.identity;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The identity module's one unchecked exception, split by what the caller can do about it: fix the input
 * ({@link Reason#INVALID}), look elsewhere ({@link Reason#NOT_FOUND}), change the state first
 * ({@link Reason#CONFLICT}), ask someone with more rights ({@link Reason#FORBIDDEN}), sign in again
 * ({@link Reason#UNAUTHENTICATED}) or wait ({@link Reason#THROTTLED}, with {@link #retryAfter()}).
 */
public final class IdentityException extends RuntimeException {

    /** What went wrong, by what the caller can do. */
    public enum Reason {
        INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHENTICATED, THROTTLED
    }

    private final Reason reason;
    private final @Nullable String field;
    private final @Nullable Duration retryAfter;

    public IdentityException(Reason reason, String message, @Nullable String field) {
        this(reason, message, field, null);
    }

    public IdentityException(Reason reason, String message, @Nullable String field, @Nullable Duration retryAfter) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field;
        this.retryAfter = retryAfter;
    }

    public static IdentityException invalid(String field, String message) {
        return new IdentityException(Reason.INVALID, field + ": " + message, field);
    }

    public Reason reason() {
        return reason;
    }

    /** The input field at fault, if one is. */
    public @Nullable String field() {
        return field;
    }

    /** For {@link Reason#THROTTLED}: when trying again may succeed. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
