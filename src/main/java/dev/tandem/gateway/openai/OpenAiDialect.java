package dev.tandem.gateway.openai;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.http.Dialect;
import dev.tandem.gateway.http.JsonWriter;
import tools.jackson.core.JsonGenerator;

/** OpenAI's error shape: {@code {"error":{"message","type","param","code"}}} with OpenAI's statuses. */
public final class OpenAiDialect implements Dialect {

    private final JsonWriter json;

    public OpenAiDialect(JsonWriter json) {
        this.json = json;
    }

    @Override
    public String name() {
        return "openai";
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
            case OVERLOADED -> 503;
            case TIMEOUT -> 504;
        };
    }

    private static String type(ApiError e) {
        return switch (e.kind()) {
            case INVALID_REQUEST, CONTEXT_TOO_LONG, SENSITIVE, AUTHENTICATION, NOT_FOUND, REQUEST_TOO_LARGE, CONFLICT ->
                    "invalid_request_error";
            case PERMISSION -> "permission_error";
            case INSUFFICIENT_BALANCE -> "insufficient_quota";
            case RATE_LIMITED, CONCURRENCY_LIMITED -> "rate_limit_error";
            case TOKENS_RATE_LIMITED -> "tokens";
            case INTERNAL, UPSTREAM, OVERLOADED, TIMEOUT -> "server_error";
        };
    }

    private static String code(ApiError e) {
        return switch (e.kind()) {
            case INVALID_REQUEST -> "invalid_request";
            case CONTEXT_TOO_LONG -> "context_length_exceeded";
            case SENSITIVE -> "content_filter";
            case AUTHENTICATION -> "invalid_api_key";
            case PERMISSION -> "permission_denied";
            case NOT_FOUND -> e.param() != null && e.param().equals("model") ? "model_not_found" : "not_found";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case CONFLICT -> "conflict";
            case RATE_LIMITED, TOKENS_RATE_LIMITED -> "rate_limit_exceeded";
            case CONCURRENCY_LIMITED -> "concurrency_limit_exceeded";
            case INSUFFICIENT_BALANCE -> "insufficient_quota";
            case INTERNAL -> "internal_error";
            case UPSTREAM -> "upstream_error";
            case OVERLOADED -> "overloaded";
            case TIMEOUT -> "timeout";
        };
    }

    private void write(JsonGenerator g, ApiError e) {
        g.writeStartObject();
        g.writeObjectPropertyStart("error");
        g.writeStringProperty("message", e.getMessage());
        g.writeStringProperty("type", type(e));
        if (e.param() == null) {
            g.writeNullProperty("param");
        } else {
            g.writeStringProperty("param", e.param());
        }
        g.writeStringProperty("code", code(e));
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    public byte[] errorBody(ApiError error, String requestId) {
        return json.bytes(g -> write(g, error));
    }

    @Override
    public byte[] streamError(ApiError error, String requestId) {
        return json.sse(null, g -> write(g, error));
    }
}
