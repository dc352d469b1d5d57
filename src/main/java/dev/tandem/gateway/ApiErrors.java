package dev.tandem.gateway;

import dev.tandem.billing.BillingException;
import dev.tandem.identity.IdentityException;
import dev.tandem.inference.InferenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures of the modules behind the gateway become canonical {@link ApiError}s. */
public final class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    public static ApiError from(Throwable t) {
        return switch (t) {
            case ApiError e -> e;
            case InferenceException e -> new ApiError(switch (e.kind()) {
                case INVALID_REQUEST -> ErrorKind.INVALID_REQUEST;
                case MODEL_NOT_FOUND -> ErrorKind.NOT_FOUND;
                case CONTEXT_TOO_LONG -> ErrorKind.CONTEXT_TOO_LONG;
                case REQUEST_TOO_LARGE -> ErrorKind.REQUEST_TOO_LARGE;
                case OVERLOADED -> ErrorKind.OVERLOADED;
                case RATE_LIMITED -> ErrorKind.RATE_LIMITED;
                case UPSTREAM_UNAVAILABLE -> ErrorKind.UPSTREAM;
                case UPSTREAM_TIMEOUT -> ErrorKind.TIMEOUT;
                case INTERNAL -> ErrorKind.INTERNAL;
            }, e.getMessage(), e.param(), e.retryAfter());
            case BillingException e -> new ApiError(switch (e.kind()) {
                case INSUFFICIENT_BALANCE -> ErrorKind.INSUFFICIENT_BALANCE;
                case RATE_LIMITED -> ErrorKind.RATE_LIMITED;
                case TOKENS_LIMITED -> ErrorKind.TOKENS_RATE_LIMITED;
                case STREAMS_LIMITED -> ErrorKind.CONCURRENCY_LIMITED;
                case FORBIDDEN -> ErrorKind.PERMISSION;
                case INVALID -> ErrorKind.INVALID_REQUEST;
                case UNAVAILABLE -> ErrorKind.OVERLOADED;
            }, e.getMessage(), null, e.retryAfter(), e.limits());
            case IdentityException e -> new ApiError(switch (e.reason()) {
                case INVALID -> ErrorKind.INVALID_REQUEST;
                case NOT_FOUND -> ErrorKind.NOT_FOUND;
                case CONFLICT -> ErrorKind.CONFLICT;
                case FORBIDDEN -> ErrorKind.PERMISSION;
                case UNAUTHENTICATED -> ErrorKind.AUTHENTICATION;
                case THROTTLED -> ErrorKind.RATE_LIMITED;
            }, e.getMessage(), e.field(), e.retryAfter());
            default -> {
                log.error("unexpected failure", t);
                yield new ApiError(ErrorKind.INTERNAL, "Tandem failed to handle this request; it was logged.", null,
                        null);
            }
        };
    }
}
