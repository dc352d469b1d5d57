package dev.tandem.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream HTTP client against a scripted server on loopback: bodies, keep-alive, failures, TLS. */
class UpstreamClientTest {

    /** A raw HTTP/1.1 server whose answers the test scripts; it records requests and counts connections. */
    static final class Scripted implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();

        /** {@code answer} gets the request's text and the output stream, once per request on a connection. */
        Scripted(ServerSocket server, BiConsumer<String, OutputStream> answer) {
            this.server = server;
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, answer));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        Scripted(BiConsumer<String, OutputStream> answer) throws IOException {
            this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answer);
        }

        private void serve(Socket s, BiConsumer<String, OutputStream> answer) {
            try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String head = head(in);
                    if (head == null) {
                        return;
                    }
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    String request = head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    requests.add(request);
                    answer.accept(request, out);
                    out.flush();
                }
            } catch (IOException | RuntimeException gone) {
                // the client or the script closed the connection
            }
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
                String s = b.toString(StandardCharsets.ISO_8859_1);
                if (s.endsWith("\r\n\r\n")) {
                    return s;
                }
            }
            return null;
        }

        URI uri(String scheme) {
            return URI.create(scheme + "://127.0.0.1:" + server.getLocalPort() + "/v1");
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static String read(UpstreamClient.Response r) throws IOException {
        try (InputStream in = r.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    Scripted server;
    UpstreamClient client;

    @AfterEach
    void tearDown() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    UpstreamClient client(Scripted s, Duration readTimeout) {
        return new UpstreamClient(s.uri("http"), Duration.ofSeconds(2), readTimeout, 16, null);
    }

    @Test
    void sendsTheRequestAndReusesTheConnectionAfterAFixedLengthBody() throws IOException {
        server = new Scripted((req, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 11\r\n\r\n{\"ok\":true}"));
        client = client(server, Duration.ofSeconds(5));

        for (int i = 0; i < 3; i++) {
            UpstreamClient.Response r = client.post("/v1/chat/completions", Map.of("authorization", "Bearer k"),
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(read(r)).isEqualTo("{\"ok\":true}");
        }

        assertThat(server.connections.get()).isEqualTo(1);
        String request = server.requests.getFirst();
        assertThat(request).startsWith("POST /v1/chat/completions HTTP/1.1\r\n")
                .contains("host: 127.0.0.1:" + server.server.getLocalPort())
                .contains("authorization: Bearer k").contains("content-length: 7").endsWith("{\"a\":1}");
    }

    @Test
    void readsAChunkedStreamAsItComes() throws IOException {
        server = new Scripted((req, out) -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "6\r\ndata: \r\n" + "3;ext=1\r\nabc\r\n" + "2\r\n\n\n\r\n" + "0\r\nTrailer: x\r\n\r\n"));
        client = client(server, Duration.ofSeconds(5));

        assertThat(read(client.post("/v1/x", Map.of(), new byte[0]))).isEqualTo("data: abc\n\n");
        assertThat(read(client.post("/v1/x", Map.of(), new byte[0]))).isEqualTo("data: abc\n\n");
        assertThat(server.connections.get()).as("kept alive after the last chunk").isEqualTo(1);
    }

    @Test
    void aBodyThatEndsWithTheConnectionIsReadToTheEndAndNotReused() throws IOException {
        server = new Scripted((req, out) -> {
            write(out, "HTTP/1.1 200 OK\r\n\r\nuntil close");
            throw new RuntimeException("close");
        });
        client = client(server, Duration.ofSeconds(5));

        assertThat(read(client.post("/v1/x", Map.of(), new byte[0]))).isEqualTo("until close");
        assertThat(read(client.post("/v1/x", Map.of(), new byte[0]))).isEqualTo("until close");
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        server = new Scripted((req, out) -> write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
        client = client(server, Duration.ofSeconds(5));

        read(client.post("/v1/x", Map.of(), new byte[0]));
        read(client.post("/v1/x", Map.of(), new byte[0]));

        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void retriesOnceWhenThePooledConnectionWasClosedByTheServer() throws IOException {
        AtomicInteger served = new AtomicInteger();
        server = new Scripted((req, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            if (served.incrementAndGet() == 1) {
                throw new RuntimeException("the server drops the idle connection");
            }
        });
        client = client(server, Duration.ofSeconds(5));

        assertThat(read(client.post("/v1/x", Map.of(), new byte[0]))).isEqualTo("ok");
        assertThat(read(client.post("/v1/x", Map.of(), new byte[0]))).as("sent again on a fresh connection")
                .isEqualTo("ok");
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void aRetryAfterAStaleConnectionDoesNotTakeAnotherStaleOne() throws Exception {
        // the server closes every connection after its answer, as one does with idle keep-alive connections
        server = new Scripted((req, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            throw new RuntimeException("the server drops the connection after answering");
        });
        client = client(server, Duration.ofSeconds(5));
        List<Thread> parallel = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) { // four connections in the pool, all of them dead by now
            parallel.add(Thread.ofVirtual().start(() -> {
                try {
                    read(client.post("/v1/x", Map.of(), new byte[0]));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (Thread t : parallel) {
            t.join();
        }
        Thread.sleep(50);
        assertThat(read(client.post("/v1/x", Map.of(), new byte[0]))).isEqualTo("ok");
    }

    @Test
    void closingABodyEarlyDropsTheConnection() throws IOException {
        server = new Scripted((req, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"));
        client = client(server, Duration.ofSeconds(5));

        UpstreamClient.Response first = client.post("/v1/x", Map.of(), new byte[0]);
        assertThat(first.body().read()).isEqualTo('0');
        first.body().close();
        read(client.post("/v1/x", Map.of(), new byte[0]));

        assertThat(server.connections.get()).as("the half-read connection is not reused").isEqualTo(2);
    }

    @Test
    void aSilentUpstreamTimesOutAfterTheReadTimeout() throws IOException {
        server = new Scripted((req, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            try {
                out.flush();
                Thread.sleep(5000);
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        client = client(server, Duration.ofMillis(300));

        UpstreamClient.Response r = client.post("/v1/x", Map.of(), new byte[0]);
        byte[] buf = new byte[5];
        assertThat(r.body().readNBytes(buf, 0, 5)).isEqualTo(5);
        long start = System.nanoTime();
        assertThatThrownBy(() -> r.body().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aClosedPortIsAConnectFailure() {
        client = new UpstreamClient(URI.create("http://127.0.0.1:9/v1"), Duration.ofSeconds(2), Duration.ofSeconds(2),
                4, null);
        assertThatThrownBy(() -> client.post("/v1/x", Map.of(), new byte[0])).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void speaksTlsAndChecksTheHostName(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("ks.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        // on every local address, so that 127.0.0.2 (a name the certificate does not carry) reaches it too
        SSLServerSocket tlsServer = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 50);
        server = new Scripted(tlsServer, (req, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret"));
        SSLSocketFactory trusting = clientContext.getSocketFactory();

        client = new UpstreamClient(server.uri("https"), Duration.ofSeconds(5), Duration.ofSeconds(5), 4, trusting);
        assertThat(read(client.post("/v1/x", Map.of(), new byte[0]))).isEqualTo("secret");

        UpstreamClient wrongName = new UpstreamClient(
                URI.create("https://127.0.0.2:" + server.server.getLocalPort() + "/v1"), Duration.ofSeconds(5),
                Duration.ofSeconds(5), 4, trusting);
        try (wrongName) {
            assertThatThrownBy(() -> wrongName.post("/v1/x", Map.of(), new byte[0]))
                    .as("a certificate for another host is refused").isInstanceOf(SSLHandshakeException.class);
        }
        UpstreamClient untrusting = new UpstreamClient(server.uri("https"), Duration.ofSeconds(5), Duration.ofSeconds(5),
                4, null);
        try (untrusting) {
            assertThatThrownBy(() -> untrusting.post("/v1/x", Map.of(), new byte[0]))
                    .as("a certificate no CA signed is refused").isInstanceOf(SSLHandshakeException.class);
        }
    }
}
