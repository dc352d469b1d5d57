package dev.tandem.inference.remote;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A lean HTTP/1.1 client for calls to one upstream (one scheme, host and port): what a gateway does on every
 * request, so it is kept short. Requests are written in one write; connections are kept alive in a lock-free
 * pool; responses are read with plain blocking I/O, which suits virtual threads, and the socket's read timeout
 * bounds every wait for bytes (between chunks of a stream too). Content-Length, chunked and close-delimited
 * bodies are read; TLS goes through the JDK with host name verification.
 *
 * <p>A pooled connection that the server closed while idle fails before any answer byte: such a request is sent
 * once more on a fresh connection, as browsers and OkHttp do. Closing a response body before its end closes the
 * connection: a stream given up is cancelled upstream at once. Thread-safe.
 */
final class UpstreamClient implements AutoCloseable {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** A response with a readable body; close the body (or read it to its end) to release the connection. */
    record Response(int status, Map<String, String> headers, InputStream body) {
        String header(String name) {
            String v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? "" : v;
        }
    }

    private final String host;
    private final int port;
    private final boolean tls;
    private final String hostHeader;
    private final Duration connectTimeout;
    private final int readTimeoutMillis;
    private final int maxIdle;
    private final @Nullable SSLSocketFactory sslFactory;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    UpstreamClient(URI base, Duration connectTimeout, Duration readTimeout, int maxIdle,
            @Nullable SSLSocketFactory sslFactory) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("base-url must start with http:// or https://, was " + base);
        }
        if (base.getHost() == null) {
            throw new IllegalArgumentException("base-url has no host: " + base);
        }
        this.tls = scheme.equals("https");
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        boolean defaultPort = base.getPort() < 0 || (tls && port == 443) || (!tls && port == 80);
        this.hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        this.connectTimeout = connectTimeout;
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
        this.maxIdle = maxIdle;
        this.sslFactory = tls ? (sslFactory != null ? sslFactory : (SSLSocketFactory) SSLSocketFactory.getDefault())
                : null;
    }

    /** POSTs {@code body} to {@code path} (absolute path with query, e.g. {@code /v1/chat/completions}). */
    Response post(String path, Map<String, String> headers, byte[] body) throws IOException {
        byte[] request = request(path, headers, body);
        for (int attempt = 0; ; attempt++) {
            // a retry never takes another pooled connection: it could be just as stale as the first
            Connection c = attempt == 0 ? idle.pollFirst() : null;
            boolean reused = c != null;
            if (reused) {
                idleCount.decrementAndGet();
            } else {
                c = connect();
            }
            try {
                c.out.write(request);
                c.out.flush();
                return c.readResponse();
            } catch (IOException e) {
                c.discard();
                // A reused connection the server had closed fails before any answer: send once more.
                if (reused && attempt == 0 && !c.answered && !closed) {
                    continue;
                }
                throw e;
            }
        }
    }

    private byte[] request(String path, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256);
        head.append("POST ").append(path).append(" HTTP/1.1\r\nhost: ").append(hostHeader)
                .append("\r\ncontent-length: ").append(body.length).append("\r\nuser-agent: tandem\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private Connection connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            socket.setSoTimeout(readTimeoutMillis);
            if (sslFactory != null) {
                SSLSocket ssl = (SSLSocket) sslFactory.createSocket(socket, host, port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                socket = ssl;
            }
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void release(Connection c) {
        if (closed || idleCount.incrementAndGet() > maxIdle) {
            idleCount.decrementAndGet();
            c.discard();
            return;
        }
        idle.addFirst(c);
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            c.discard();
        }
    }

    /** One keep-alive connection and the response being read on it. */
    private final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean answered;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16384);
            this.out = socket.getOutputStream();
        }

        Response readResponse() throws IOException {
            answered = false;
            String status = line();
            answered = true;
            while (status.isEmpty()) {
                status = line(); // tolerate a stray CRLF before the status line
            }
            int code = parseStatus(status);
            Map<String, String> headers = new LinkedHashMap<>();
            int headerBytes = 0;
            while (true) {
                String h = line();
                if (h.isEmpty()) {
                    break;
                }
                headerBytes += h.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    throw new IOException("upstream response headers exceed " + MAX_HEADER_BYTES + " bytes");
                }
                int colon = h.indexOf(':');
                if (colon > 0) {
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    headers.merge(name, value, (a, b) -> a + ", " + b);
                }
            }
            if (code >= 100 && code < 200) {
                return readResponse(); // informational: the real answer follows
            }
            boolean keepAlive = !headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close");
            InputStream body;
            String te = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
            if (code == 204 || code == 304) {
                body = new Body(this, false, 0, keepAlive);
            } else if (te.contains("chunked")) {
                body = new Body(this, true, 0, keepAlive);
            } else if (headers.containsKey("content-length")) {
                body = new Body(this, false, Long.parseLong(headers.get("content-length").trim()), keepAlive);
            } else {
                body = new Body(this, false, -1, false); // ends when the server closes
            }
            return new Response(code, headers, body);
        }

        private int parseStatus(String status) throws IOException {
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP response: " + abbreviate(status));
            }
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("bad HTTP status line: " + abbreviate(status));
            }
        }

        /** One CRLF- (or LF-) terminated line, without its ending. */
        String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the upstream closed the connection");
                }
                if (b == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                if (sb.length() > MAX_HEADER_BYTES) {
                    throw new IOException("upstream response line too long");
                }
                sb.append((char) b);
            }
        }

        void discard() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }

    /** A response body: fixed length, chunked, or up to the end of the connection. */
    private final class Body extends InputStream {
        private final Connection c;
        private final boolean chunked;
        private final boolean keepAlive;
        private long remaining; // in the body (fixed) or in the current chunk (chunked); -1 when unknown
        private boolean chunkStarted;
        private boolean done;
        private boolean closed;

        Body(Connection c, boolean chunked, long remaining, boolean keepAlive) {
            this.c = c;
            this.chunked = chunked;
            this.keepAlive = keepAlive;
            this.remaining = chunked ? 0 : remaining;
            this.done = !chunked && remaining == 0;
            if (done) {
                finish();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("the response body is closed");
            }
            if (done || len == 0) {
                return done ? -1 : 0;
            }
            if (chunked && remaining == 0 && !nextChunk()) {
                return -1;
            }
            int want = remaining < 0 ? len : (int) Math.min(len, remaining);
            int n = c.in.read(b, off, want);
            if (n < 0) {
                if (remaining < 0 && !chunked) {
                    done = true;
                    finish();
                    return -1;
                }
                throw new EOFException("the upstream closed the connection in the middle of the body");
            }
            if (remaining > 0) {
                remaining -= n;
                if (!chunked && remaining == 0) {
                    done = true;
                    finish();
                }
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return closed || done ? 0 : Math.min(c.in.available(), remaining < 0 ? Integer.MAX_VALUE : (int) remaining);
        }

        private boolean nextChunk() throws IOException {
            if (remaining == 0 && chunkStarted) {
                String crlf = c.line(); // the CRLF after a chunk's data
                if (!crlf.isEmpty()) {
                    throw new IOException("malformed chunked body");
                }
            }
            String sizeLine = c.line();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + abbreviate(sizeLine));
            }
            chunkStarted = true;
            if (size == 0) {
                while (!c.line().isEmpty()) {
                    // trailers: not used
                }
                done = true;
                finish();
                return false;
            }
            remaining = size;
            return true;
        }

        /** The whole body was read: the connection can serve the next request. */
        private void finish() {
            if (keepAlive) {
                release(c);
            } else {
                c.discard();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (!done) {
                c.discard(); // given up before the end: cancels the upstream request at once
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
