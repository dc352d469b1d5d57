package dev.tandem.gateway;

import dev.tandem.billing.RateLimitStatus;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A canonical API error, thrown anywhere in the gateway and rendered once, by the dialect of the request.
 *
 * @param kind       what went wrong
 * @param message    a sentence for the caller: which field, what was wrong, what is allowed
 * @param param      the request field at fault, in the dialect's naming, if one is
 * @param retryAfter when the caller may retry, if known
 * @param limits     where the caller stands against its rate limits, for the response headers, if known
 */
public final class ApiError extends RuntimeException {

    private final ErrorKind kind;
    private final @Nullable String param;
    private final @Nullable Duration retryAfter;
    private final @Nullable RateLimitStatus limits;

    public ApiError(ErrorKind kind, String message, @Nullable String param, @Nullable Duration retryAfter) {
        this(kind, message, param, retryAfter, null);
    }

    public ApiError(ErrorKind kind, String message, @Nullable String param, @Nullable Duration retryAfter,
            @Nullable RateLimitStatus limits) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.param = param;
        this.retryAfter = retryAfter;
        this.limits = limits;
    }

    public @Nullable RateLimitStatus limits() {
        return limits;
    }

    public static ApiError invalid(String message, @Nullable String param) {
        return new ApiError(ErrorKind.INVALID_REQUEST, message, param, null);
    }

    public ErrorKind kind() {
        return kind;
    }

    public @Nullable String param() {
        return param;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
