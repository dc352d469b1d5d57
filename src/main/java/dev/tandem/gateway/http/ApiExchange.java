package dev.tandem.gateway.http;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.identity.ApiKeyPrincipal;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One API request and its response, as the gateway handles them: the body read under a size limit, the
 * authenticated caller, and writing either one JSON body or a stream of SSE events. Used by one thread.
 */
public final class ApiExchange {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Dialect dialect;
    private final String requestId;
    private final String callId;
    private final long startedNanos;
    private final long maxBodyBytes;
    private @Nullable ApiKeyPrincipal principal;
    private @Nullable ServletOutputStream out;
    private boolean streaming;

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

    public String requestId() {
        return requestId;
    }

    /** A server-made id unique to this call, what usage and billing are keyed on (clients choose request ids). */
    public String callId() {
        return callId;
    }

    public long startedNanos() {
        return startedNanos;
    }

    public HttpServletRequest request() {
        return request;
    }

    public ApiKeyPrincipal principal() {
        return Objects.requireNonNull(principal, "not authenticated");
    }

    void authenticated(ApiKeyPrincipal p) {
        this.principal = p;
    }

    /**
     * The request body.
     *
     * @throws ApiError REQUEST_TOO_LARGE beyond the configured limit
     */
    public byte[] body() throws IOException {
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

    /** Sends one JSON body. */
    public void sendJson(int status, byte[] json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    /** Starts an SSE response; headers go out with the first event. */
    public void startStream() throws IOException {
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
        Objects.requireNonNull(out, "stream not started").write(bytes);
    }

    /** Writes {@code bytes[offset, offset + length)} without flushing. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.requireNonNull(out, "stream not started").write(bytes, offset, length);
    }

    /** Sends what was written; an IOException here means the client is gone. */
    public void flush() throws IOException {
        Objects.requireNonNull(out, "stream not started").flush();
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
            response.setHeader("retry-after", Long.toString(Math.max(1, error.retryAfter().toSeconds())));
        }
        sendJson(dialect.status(error), dialect.errorBody(error, requestId));
    }
}
