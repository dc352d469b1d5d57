package dev.tandem.gateway;

/** The canonical errors of the API; each dialect renders them with its own shape and status. */
public enum ErrorKind {
    INVALID_REQUEST,
    AUTHENTICATION,
    PERMISSION,
    NOT_FOUND,
    /** The request clashes with one in progress (an idempotency key in use). */
    CONFLICT,
    REQUEST_TOO_LARGE,
    /** A requests-per-minute limit (ours or an upstream's). */
    RATE_LIMITED,
    /** A tokens-per-minute limit. */
    TOKENS_RATE_LIMITED,
    /** A cap on concurrent streams. */
    CONCURRENCY_LIMITED,
    INSUFFICIENT_BALANCE,
    CONTEXT_TOO_LONG,
    SENSITIVE,
    UPSTREAM,
    TIMEOUT,
    OVERLOADED,
    INTERNAL
}
