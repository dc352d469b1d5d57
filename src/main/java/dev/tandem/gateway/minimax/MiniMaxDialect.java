package dev.tandem.gateway.minimax;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.http.Dialect;
import dev.tandem.gateway.http.JsonWriter;
import tools.jackson.core.JsonGenerator;

/**
 * MiniMax's native error convention: HTTP 200 with {@code base_resp.status_code} non-zero and the reason in
 * {@code status_msg}; clients check {@code base_resp}, not the status line.
 */
final class MiniMaxDialect implements Dialect {

    private final JsonWriter json;

    MiniMaxDialect(JsonWriter json) {
        this.json = json;
    }

    @Override
    public String name() {
        return "minimax";
    }

    @Override
    public int status(ApiError e) {
        return 200;
    }

    /** MiniMax's status code for each canonical error (their error-code table). */
    static int code(ApiError e) {
        return switch (e.kind()) {
            case INVALID_REQUEST, NOT_FOUND, REQUEST_TOO_LARGE, CONTEXT_TOO_LONG, CONFLICT -> 2013;
            case AUTHENTICATION, PERMISSION -> 1004;
            case RATE_LIMITED -> 1002;
            case TOKENS_RATE_LIMITED -> 1039;
            case CONCURRENCY_LIMITED -> 1041;
            case INSUFFICIENT_BALANCE -> 1008;
            case SENSITIVE -> 1026;
            case TIMEOUT -> 1001;
            case OVERLOADED -> 1041;
            case UPSTREAM -> 1013;
            case INTERNAL -> 1000;
        };
    }

    private void write(JsonGenerator g, ApiError e, String requestId) {
        g.writeStartObject();
        g.writeStringProperty("id", requestId);
        g.writeObjectPropertyStart("base_resp");
        g.writeNumberProperty("status_code", code(e));
        g.writeStringProperty("status_msg", e.getMessage());
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    public byte[] errorBody(ApiError error, String requestId) {
        return json.bytes(g -> write(g, error, requestId));
    }

    @Override
    public byte[] streamError(ApiError error, String requestId) {
        return json.sse(null, g -> write(g, error, requestId));
    }
}
