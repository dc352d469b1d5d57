package dev.tandem.gateway.http;

import dev.tandem.billing.RateLimitStatus;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.ConsoleSession;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One API request and its response, as the gateway handles them: the body read under a size limit, the
 * authenticated caller, and writing either one JSON body or a stream of SSE events. Used by one thread.
 */
public final class ApiExchange implements dev.tandem.gateway.CallOrigin {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Dialect dialect;
    private final String requestId;
    private final String callId;
    private final long startedNanos;
    private final long maxBodyBytes;
    private @Nullable ApiKeyPrincipal principal;
    private @Nullable ConsoleSession session;
    private @Nullable ServletOutputStream out;
    private boolean streaming;
    private byte @Nullable [] body;
    private @Nullable Recording recording;

    /**
     * A copy of the reply, kept while it is written (for an idempotent retry to get the same answer). Once the
     * client is gone the call goes on, detached: the reply is still recorded, no longer sent.
     */
    static final class Recording {
        private final int limit;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4096);
        int status;
        String contentType = "application/json";
        boolean overflow;
        boolean detached;

        Recording(int limit) {
            this.limit = limit;
        }

        void add(byte[] b, int offset, int length) {
            if (overflow || bytes.size() + length > limit) {
                overflow = true;
                return;
            }
            bytes.write(b, offset, length);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    ApiExchange(HttpServletRequest request, HttpServletResponse response, Dialect dialect, String requestId,
            long maxBodyBytes) {
        this.request = request;
        this.response = response;
        this.dialect = dialect;
        this.requestId = requestId;
        this.callId = "call_" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
                + Long.toHexString(System.nanoTime());
        this.maxBodyBytes = maxBodyBytes;
        this.startedNanos = System.nanoTime();
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String dialectName() {
        return dialect.name();
    }

    @Override
    public String requestId() {
        return requestId;
    }

    /** A server-made id unique to this call, what usage and billing are keyed on (clients choose request ids). */
    @Override
    public String callId() {
        return callId;
    }

    @Override
    public long startedNanos() {
        return startedNanos;
    }

    public HttpServletRequest request() {
        return request;
    }

    /** The API key that authenticated the call; only for calls that must be authenticated by one. */
    @Override
    public ApiKeyPrincipal principal() {
        return Objects.requireNonNull(principal, "not authenticated by an API key");
    }

    /** The API key that authenticated the call, if one did. */
    public Optional<ApiKeyPrincipal> apiKey() {
        return Optional.ofNullable(principal);
    }

    /** The console session that authenticated the call, if one did. */
    public Optional<ConsoleSession> session() {
        return Optional.ofNullable(session);
    }

    void authenticated(ApiKeyPrincipal p) {
        this.principal = p;
    }

    void authenticated(ConsoleSession s) {
        this.session = s;
    }

    /**
     * The request body.
     *
     * @throws ApiError REQUEST_TOO_LARGE beyond the configured limit
     */
    public byte[] body() throws IOException {
        if (body == null) {
            body = readBody();
        }
        return body;
    }

    private byte[] readBody() throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[(int) Math.min(Math.max(declared, 1024), maxBodyBytes + 1)];
            int n = 0;
            while (true) {
                if (n == buffer.length) {
                    if (buffer.length > maxBodyBytes) {
                        throw tooLarge();
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, maxBodyBytes + 1));
                }
                int r = in.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n > maxBodyBytes) {
                throw tooLarge();
            }
            return n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
        }
    }

    private ApiError tooLarge() {
        return new ApiError(ErrorKind.REQUEST_TOO_LARGE,
                "The request body is larger than the limit of " + maxBodyBytes + " bytes.", null, null);
    }

    /**
     * Sets {@code x-tandem-overhead-ms}: the time this request spent in Tandem rather than waiting on the engine,
     * in milliseconds with microsecond precision.
     */
    public void overhead(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        String fraction = Long.toString(1000 + micros % 1000).substring(1);
        response.setHeader("x-tandem-overhead-ms", micros / 1000 + "." + fraction);
    }

    /** Sets {@code x-tandem-model}: the model of the catalog that answers (an alias resolved, or a fallback). */
    @Override
    public void answeringModel(String model) {
        response.setHeader("x-tandem-model", model);
    }

    /** A request header, or null. */
    @Override
    public @Nullable String requestHeader(String name) {
        return request.getHeader(name);
    }

    /** The caller's {@code x-tandem-allow-fallbacks} header: true, false, or null when it sent none. */
    @Override
    public @Nullable Boolean fallbacksWanted() {
        String h = request.getHeader("x-tandem-allow-fallbacks");
        return h == null ? null : Boolean.valueOf(h.strip().equalsIgnoreCase("true"));
    }

    /** Sets the rate-limit headers: OpenAI's {@code x-ratelimit-*} always, Anthropic's own names too for its dialect. */
    @Override
    public void rateLimits(RateLimitStatus limits) {
        if (limits.hasRequests()) {
            response.setHeader("x-ratelimit-limit-requests", Long.toString(limits.limitRequests()));
            response.setHeader("x-ratelimit-remaining-requests", Long.toString(limits.remainingRequests()));
            response.setHeader("x-ratelimit-reset-requests", duration(limits.resetRequestsMillis()));
        }
        if (limits.hasTokens()) {
            response.setHeader("x-ratelimit-limit-tokens", Long.toString(limits.limitTokens()));
            response.setHeader("x-ratelimit-remaining-tokens", Long.toString(limits.remainingTokens()));
            response.setHeader("x-ratelimit-reset-tokens", duration(limits.resetTokensMillis()));
        }
        if (dialect.name().equals("anthropic")) {
            long now = System.currentTimeMillis();
            if (limits.hasRequests()) {
                response.setHeader("anthropic-ratelimit-requests-limit", Long.toString(limits.limitRequests()));
                response.setHeader("anthropic-ratelimit-requests-remaining", Long.toString(limits.remainingRequests()));
                response.setHeader("anthropic-ratelimit-requests-reset",
                        Instant.ofEpochMilli(now + limits.resetRequestsMillis()).truncatedTo(ChronoUnit.SECONDS).toString());
            }
            if (limits.hasTokens()) {
                response.setHeader("anthropic-ratelimit-tokens-limit", Long.toString(limits.limitTokens()));
                response.setHeader("anthropic-ratelimit-tokens-remaining", Long.toString(limits.remainingTokens()));
                response.setHeader("anthropic-ratelimit-tokens-reset",
                        Instant.ofEpochMilli(now + limits.resetTokensMillis()).truncatedTo(ChronoUnit.SECONDS).toString());
            }
        }
    }

    /** A wait in OpenAI's header form: {@code 850ms}, {@code 12.5s}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        long tenths = (millis + 99) / 100;
        return tenths % 10 == 0 ? tenths / 10 + "s" : tenths / 10 + "." + tenths % 10 + "s";
    }

    /** Sends a response without a body ({@code 204}). */
    public void sendEmpty(int status) {
        response.setStatus(status);
        response.setContentLength(0);
    }

    /** Sends one JSON body. */
    public void sendJson(int status, byte[] json) throws IOException {
        Recording r = recording;
        if (r != null) {
            r.status = status;
            r.contentType = "application/json";
            r.add(json, 0, json.length);
            if (r.detached) {
                return;
            }
        }
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        try {
            response.getOutputStream().write(json);
        } catch (IOException e) {
            clientGone(e);
        }
    }

    /** Starts an SSE response; headers go out with the first event. */
    public void startStream() throws IOException {
        if (recording != null) {
            recording.status = 200;
            recording.contentType = "text/event-stream;charset=UTF-8";
        }
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        out = response.getOutputStream();
        streaming = true;
    }

    public boolean streaming() {
        return streaming;
    }

    /** Writes SSE bytes without flushing; several events can go out in one flush. */
    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Writes {@code bytes[offset, offset + length)} without flushing. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ServletOutputStream o = Objects.requireNonNull(out, "stream not started");
        Recording r = recording;
        if (r == null) {
            o.write(bytes, offset, length);
            return;
        }
        r.add(bytes, offset, length);
        if (!r.detached) {
            try {
                o.write(bytes, offset, length);
            } catch (IOException e) {
                clientGone(e);
            }
        }
    }

    /**
     * Sends what was written. An IOException here means the client is gone; a recorded call does not see it and
     * runs on to its end (its reply is kept for the retry).
     */
    public void flush() throws IOException {
        ServletOutputStream o = Objects.requireNonNull(out, "stream not started");
        if (recording != null && recording.detached) {
            return;
        }
        try {
            o.flush();
        } catch (IOException e) {
            clientGone(e);
        }
    }

    private void clientGone(IOException e) throws IOException {
        if (recording == null) {
            throw e;
        }
        recording.detached = true;
    }

    /** Keeps a copy of the reply from now on, of at most {@code limit} bytes. */
    Recording record(int limit) {
        recording = new Recording(limit);
        return recording;
    }

    HttpServletResponse response() {
        return response;
    }

    /** Reports {@code error} in the dialect: as a stream event when streaming, else as the response. */
    void fail(ApiError error) throws IOException {
        if (streaming) {
            write(dialect.streamError(error, requestId));
            flush();
            return;
        }
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setHeader("x-request-id", requestId);
        response.setHeader("request-id", requestId);
        if (error.retryAfter() != null) {
            long millis = Math.max(1, error.retryAfter().toMillis());
            response.setHeader("retry-after", Long.toString((millis + 999) / 1000));
            response.setHeader("retry-after-ms", Long.toString(millis));
        }
        if (error.limits() != null) {
            rateLimits(error.limits());
        }
        sendJson(dialect.status(error), dialect.errorBody(error, requestId));
    }
}
