package dev.tandem.gateway.anthropic;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.http.Dialect;
import dev.tandem.gateway.http.JsonWriter;
import tools.jackson.core.JsonGenerator;

/** Anthropic's error shape: {@code {"type":"error","error":{"type","message"},"request_id"}}. */
final class AnthropicDialect implements Dialect {

    private final JsonWriter json;

    AnthropicDialect(JsonWriter json) {
        this.json = json;
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public int status(ApiError e) {
        return switch (e.kind()) {
            case INVALID_REQUEST, CONTEXT_TOO_LONG, SENSITIVE -> 400;
            case AUTHENTICATION -> 401;
            case INSUFFICIENT_BALANCE -> 402;
            case PERMISSION -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case REQUEST_TOO_LARGE -> 413;
            case RATE_LIMITED, TOKENS_RATE_LIMITED, CONCURRENCY_LIMITED -> 429;
            case INTERNAL -> 500;
            case UPSTREAM -> 502;
            case TIMEOUT -> 504;
            case OVERLOADED -> 529;
        };
    }

    static String type(ApiError e) {
        return switch (e.kind()) {
            case INVALID_REQUEST, CONTEXT_TOO_LONG, SENSITIVE, CONFLICT -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case INSUFFICIENT_BALANCE -> "billing_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case RATE_LIMITED, TOKENS_RATE_LIMITED, CONCURRENCY_LIMITED -> "rate_limit_error";
            case INTERNAL, UPSTREAM -> "api_error";
            case TIMEOUT -> "timeout_error";
            case OVERLOADED -> "overloaded_error";
        };
    }

    private void write(JsonGenerator g, ApiError e, String requestId) {
        g.writeStartObject();
        g.writeStringProperty("type", "error");
        g.writeObjectPropertyStart("error");
        g.writeStringProperty("type", type(e));
        g.writeStringProperty("message", e.getMessage());
        g.writeEndObject();
        g.writeStringProperty("request_id", requestId);
        g.writeEndObject();
    }

    @Override
    public byte[] errorBody(ApiError error, String requestId) {
        return json.bytes(g -> write(g, error, requestId));
    }

    @Override
    public byte[] streamError(ApiError error, String requestId) {
        return json.sse("error", g -> write(g, error, requestId));
    }
}
