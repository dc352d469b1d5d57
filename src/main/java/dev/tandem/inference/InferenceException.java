package dev.tandem.inference;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one exception of the inference module. {@link Kind} says what the caller can do about it; engines
 * translate their own failures (native errors, upstream HTTP statuses) into it in one place each.
 */
public class InferenceException extends RuntimeException {

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** The request itself is wrong; retrying it unchanged fails again. */
        INVALID_REQUEST(false),
        /** No such model in the catalog. */
        MODEL_NOT_FOUND(false),
        /** Prompt plus requested output does not fit the model's context window. */
        CONTEXT_TOO_LONG(false),
        /** The request body is larger than the engine accepts. */
        REQUEST_TOO_LARGE(false),
        /** All capacity is busy (or still loading); retry later. */
        OVERLOADED(true),
        /** The upstream engine asked us to slow down. */
        RATE_LIMITED(true),
        /** The upstream engine could not be reached or failed. */
        UPSTREAM_UNAVAILABLE(true),
        /** The upstream engine did not answer in time. */
        UPSTREAM_TIMEOUT(true),
        /** A fault of ours. */
        INTERNAL(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final @Nullable String param;
    private final @Nullable Duration retryAfter;

    public InferenceException(Kind kind, String message) {
        this(kind, message, null, null, null);
    }

    public InferenceException(Kind kind, String message, @Nullable String param) {
        this(kind, message, param, null, null);
    }

    public InferenceException(Kind kind, String message, @Nullable String param, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.param = param;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault, in OpenAI naming ({@code messages}, {@code max_tokens}), if one is. */
    public @Nullable String param() {
        return param;
    }

    /** How long the caller should wait before retrying, when known. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
