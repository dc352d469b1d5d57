package dev.tandem.gateway.http;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ApiErrors;
import dev.tandem.gateway.ConsoleCookie;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.GatewayProperties;
import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.ApiKeys;
import dev.tandem.identity.Cidrs;
import dev.tandem.identity.ConsoleSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The one wrapper around every API call: request id, authentication, and the central error handling that renders
 * any failure in the caller's dialect (never a stack trace, never a 500 for a client mistake).
 */
@Component
public class GatewayHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

    /** The body of an API call, run after authentication. */
    @FunctionalInterface
    public interface Handler {
        void handle(ApiExchange exchange) throws IOException;
    }

    /** How a request must authenticate. */
    public enum Authentication {
        /** An API key (model calls). */
        API_KEY,
        /**
         * An API key when the request sends one, else the console's session cookie, with the CSRF rules of
         * {@link ConsoleCookie} for requests that change state (the management API).
         */
        KEY_OR_SESSION,
        /** The session cookie only, with the CSRF rules (the console's own endpoints). */
        SESSION,
        /** None (signing in, accepting an invitation). */
        NONE
    }

    private final ApiKeys keys;
    private final ConsoleCookie cookie;
    private final long maxRequestBytes;
    private final JsonWriter json;
    private final IdempotentCalls idempotent;

    GatewayHandler(ApiKeys keys, ConsoleCookie cookie, GatewayProperties properties, JsonWriter json,
            IdempotentCalls idempotent) {
        this.keys = keys;
        this.cookie = cookie;
        this.maxRequestBytes = properties.maxRequestBytes();
        this.json = json;
        this.idempotent = idempotent;
    }

    /**
     * Handles a model call: like {@link #handle}, and with an {@code Idempotency-Key} header, at most once per
     * key (see {@link IdempotentCalls}).
     */
    public void handleModelCall(Dialect dialect, HttpServletRequest request, HttpServletResponse response,
            Handler handler) {
        handle(dialect, request, response, exchange -> {
            String key = request.getHeader("idempotency-key");
            if (key == null) {
                handler.handle(exchange);
            } else {
                idempotent.run(exchange, key.strip(), handler);
            }
        });
    }

    /** Handles a call authenticated by an API key. */
    public void handle(Dialect dialect, HttpServletRequest request, HttpServletResponse response, Handler handler) {
        handle(dialect, Authentication.API_KEY, request, response, handler);
    }

    /** Handles a call authenticated as {@code authentication} says. */
    public void handle(Dialect dialect, Authentication authentication, HttpServletRequest request,
            HttpServletResponse response, Handler handler) {
        String requestId = requestId(request);
        response.setHeader("x-request-id", requestId);
        response.setHeader("request-id", requestId);
        ApiExchange exchange = new ApiExchange(request, response, dialect, requestId, maxRequestBytes);
        MDC.put("request_id", requestId);
        try {
            switch (authentication) {
                case API_KEY -> exchange.authenticated(authenticate(request));
                case KEY_OR_SESSION -> {
                    if (secretOf(request) != null) {
                        exchange.authenticated(authenticate(request));
                    } else {
                        exchange.authenticated(session(request));
                    }
                }
                case SESSION -> exchange.authenticated(session(request));
                case NONE -> {
                }
            }
            handler.handle(exchange);
        } catch (IOException e) {
            if (!exchange.streaming()) {
                log.debug("request {} failed on I/O: {}", requestId, e.toString());
            }
            // the client went away: there is no one to tell
        } catch (Throwable t) {
            ApiError error = ApiErrors.from(t);
            try {
                exchange.fail(error);
            } catch (IOException gone) {
                log.debug("request {}: client gone before the error was sent", requestId);
            }
        } finally {
            MDC.remove("request_id");
        }
    }

    /** Parses a JSON object body; {@code null} bodies and other JSON values are refused with a clear message. */
    public JsonNode jsonObject(ApiExchange exchange) throws IOException {
        byte[] body = exchange.body();
        if (body.length == 0) {
            throw ApiError.invalid("The request body is empty; send a JSON object.", null);
        }
        JsonNode node;
        try {
            node = json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw ApiError.invalid("The request body is not valid JSON: " + e.getOriginalMessage()
                    + locationOf(e) + ".", null);
        }
        if (node == null || !node.isObject()) {
            throw ApiError.invalid("The request body must be a JSON object.", null);
        }
        return node;
    }

    private static String locationOf(JacksonException e) {
        var loc = e.getLocation();
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private ApiKeyPrincipal authenticate(HttpServletRequest request) {
        String secret = secretOf(request);
        if (secret == null) {
            throw new ApiError(ErrorKind.AUTHENTICATION, "You didn't provide an API key. Send it in the "
                    + "Authorization header as 'Bearer <key>' or in the x-api-key header.", null, null);
        }
        ApiKeyPrincipal principal = keys.authenticate(secret).orElseThrow(() -> new ApiError(ErrorKind.AUTHENTICATION,
                "Incorrect API key provided: " + mask(secret) + ".", null, null));
        if (!Cidrs.allows(principal.spec().ipAllow(), request.getRemoteAddr())) {
            throw new ApiError(ErrorKind.PERMISSION, "This API key may not be used from " + request.getRemoteAddr()
                    + ": it is limited to " + String.join(", ", principal.spec().ipAllow()) + ".", null, null);
        }
        return principal;
    }

    /** The console session of the request's cookie, after the CSRF checks for requests that change state. */
    private ConsoleSession session(HttpServletRequest request) {
        ConsoleSession session = cookie.session(request).orElseThrow(() -> new ApiError(ErrorKind.AUTHENTICATION,
                ConsoleCookie.token(request).isPresent()
                        ? "Your console session has ended; sign in again (POST /v1/console/session)."
                        : "Sign in (POST /v1/console/session) or send an admin API key in the Authorization header "
                                + "as 'Bearer <key>'.", null, null));
        ConsoleCookie.csrfProblem(request, session).ifPresent(problem -> {
            throw new ApiError(ErrorKind.PERMISSION, problem, null, null);
        });
        return session;
    }

    private static @Nullable String secretOf(HttpServletRequest request) {
        String authorization = request.getHeader("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String s = authorization.substring(7).trim();
            if (!s.isEmpty()) {
                return s;
            }
        }
        String apiKey = request.getHeader("x-api-key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    private static String mask(String secret) {
        if (secret.length() <= 8) {
            return "****";
        }
        return secret.substring(0, Math.min(6, secret.length() / 3)) + "****" + secret.substring(secret.length() - 4);
    }

    private static String requestId(HttpServletRequest request) {
        String given = request.getHeader("x-request-id");
        if (given != null && !given.isBlank() && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)) {
            return given;
        }
        return "req_" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
                + Long.toHexString(System.nanoTime() & 0xFFFFFFFFL);
    }
}
