package dev.tandem.gateway;

/** The canonical errors of the API; each dialect renders them with its own shape and status. */
public enum ErrorKind {
    INVALID_REQUEST,
    AUTHENTICATION,
    PERMISSION,
    NOT_FOUND,
    REQUEST_TOO_LARGE,
    RATE_LIMITED,
    INSUFFICIENT_BALANCE,
    CONTEXT_TOO_LONG,
    SENSITIVE,
    UPSTREAM,
    TIMEOUT,
    OVERLOADED,
    INTERNAL
}
