package dev.tandem.inference.remote;

import dev.tandem.inference.InferenceException;
import dev.tandem.inference.InferenceException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The one place where what remote engines answer goes wrong becomes an {@link InferenceException}: HTTP statuses,
 * error bodies of the OpenAI, Anthropic and MiniMax shapes, MiniMax status codes, and I/O failures.
 *
 * <p>Upstream credential or account problems are Tandem's, not the caller's: they surface as the upstream being
 * unavailable, never as the caller's key being wrong.
 */
final class UpstreamErrors {

    private UpstreamErrors() {
    }

    static InferenceException fromStatus(String model, int status, String body, @Nullable String retryAfter,
            ObjectMapper json) {
        String detail = message(body, json).orElse(body.isBlank() ? "HTTP " + status : truncate(body));
        Duration wait = parseRetryAfter(retryAfter);
        return switch (status) {
            case 400, 422 -> looksLikeContext(detail)
                    ? new InferenceException(Kind.CONTEXT_TOO_LONG, detail, "messages")
                    : new InferenceException(Kind.INVALID_REQUEST, detail, null);
            case 401, 403 -> new InferenceException(Kind.UPSTREAM_UNAVAILABLE,
                    "the upstream of model " + model + " refused Tandem's credentials (HTTP " + status + ")");
            case 404 -> new InferenceException(Kind.UPSTREAM_UNAVAILABLE,
                    "the upstream of model " + model + " does not know it (HTTP 404): " + detail);
            case 408, 504 -> new InferenceException(Kind.UPSTREAM_TIMEOUT,
                    "the upstream of model " + model + " timed out (HTTP " + status + ")", null, wait, null);
            case 413 -> new InferenceException(Kind.REQUEST_TOO_LARGE, detail, null);
            case 429 -> new InferenceException(Kind.RATE_LIMITED,
                    "the upstream of model " + model + " is rate limiting: " + detail, null, wait, null);
            case 529 -> new InferenceException(Kind.OVERLOADED,
                    "the upstream of model " + model + " is overloaded", null, wait, null);
            default -> new InferenceException(Kind.UPSTREAM_UNAVAILABLE,
                    "the upstream of model " + model + " failed (HTTP " + status + "): " + detail, null, wait, null);
        };
    }

    /** A MiniMax {@code base_resp} with a non-zero status code. */
    static InferenceException fromMiniMax(String model, long code, String message) {
        return switch ((int) code) {
            case 1002, 1039, 1041, 2045 -> new InferenceException(Kind.RATE_LIMITED,
                    "the upstream of model " + model + " is rate limiting: " + message + " (" + code + ")", null,
                    Duration.ofSeconds(1), null);
            case 2013 -> new InferenceException(Kind.INVALID_REQUEST, message + " (" + code + ")", null);
            case 1001 -> new InferenceException(Kind.UPSTREAM_TIMEOUT,
                    "the upstream of model " + model + " timed out (" + code + ")");
            case 1004, 2049, 1008 -> new InferenceException(Kind.UPSTREAM_UNAVAILABLE,
                    "the upstream of model " + model + " refused Tandem's account: " + message + " (" + code + ")");
            default -> new InferenceException(Kind.UPSTREAM_UNAVAILABLE,
                    "the upstream of model " + model + " failed: " + message + " (" + code + ")");
        };
    }

    static InferenceException fromIo(String model, IOException e) {
        if (e instanceof HttpTimeoutException || e instanceof java.io.InterruptedIOException) {
            return new InferenceException(Kind.UPSTREAM_TIMEOUT, "the upstream of model " + model + " timed out",
                    null, null, e);
        }
        String why = e instanceof ConnectException ? "cannot connect" : "connection failed";
        return new InferenceException(Kind.UPSTREAM_UNAVAILABLE,
                "the upstream of model " + model + " is unavailable: " + why
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), null, null, e);
    }

    /** The error text of a JSON error body of any of the three shapes. */
    static Optional<String> message(String body, ObjectMapper json) {
        try {
            JsonNode root = json.readTree(body);
            JsonNode error = root.path("error");
            if (error.isObject() && error.path("message").isString()) {
                return Optional.of(error.path("message").asString());
            }
            if (error.isString()) {
                return Optional.of(error.asString());
            }
            if (root.path("base_resp").path("status_msg").isString()) {
                return Optional.of(root.path("base_resp").path("status_msg").asString());
            }
            if (root.path("message").isString()) {
                return Optional.of(root.path("message").asString());
            }
        } catch (JacksonException notJson) {
            // fall through
        }
        return Optional.empty();
    }

    private static boolean looksLikeContext(String detail) {
        String d = detail.toLowerCase(Locale.ROOT);
        return d.contains("context length") || d.contains("context window") || d.contains("maximum context")
                || d.contains("prompt is too long") || d.contains("context_length_exceeded");
    }

    static @Nullable Duration parseRetryAfter(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            return seconds >= 0 ? Duration.ofMillis((long) (seconds * 1000)) : null;
        } catch (NumberFormatException httpDate) {
            return null;
        }
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
