package dev.tandem.gateway.http;

import dev.tandem.gateway.ApiError;

/**
 * A wire dialect's way of reporting errors: the HTTP status, the JSON body, and the SSE event that ends a stream
 * that already started. Implementations are stateless and thread-safe.
 */
public interface Dialect {

    /** Short name for logs and events: {@code openai}, {@code anthropic}, {@code minimax}. */
    String name();

    int status(ApiError error);

    /** The whole error body. */
    byte[] errorBody(ApiError error, String requestId);

    /** The SSE bytes that report {@code error} inside a stream, ready to write. */
    byte[] streamError(ApiError error, String requestId);
}
