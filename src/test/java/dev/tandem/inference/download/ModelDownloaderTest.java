package dev.tandem.inference.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.inference.download.ModelDownloader.DownloadException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ModelDownloaderTest {

    /** 300 KiB: several of the downloader's 64 KiB copy buffers, and not a multiple of one. */
    private static final byte[] MODEL = randomBytes(300 * 1024 + 123);
    private static final String MODEL_SHA = sha256(MODEL);

    @TempDir
    Path cache;

    private HttpServer server;
    private ExecutorService executor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private ModelDownloader downloader;

    private record Request(String path, @Nullable String range, @Nullable String authorization) {
    }

    @BeforeEach
    void start() throws IOException {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = startServer("127.0.0.1");
        downloader = new ModelDownloader(cache, null, Duration.ZERO);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private HttpServer startServer(String address) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void record(HttpExchange ex) {
        requests.add(new Request(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization")));
    }

    /** Serves {@code body} at {@code path}, honouring {@code Range: bytes=N-} when {@code ranges} is true. */
    private void serve(String path, byte[] body, boolean ranges) {
        server.createContext(path, ex -> {
            record(ex);
            String range = ex.getRequestHeaders().getFirst("Range");
            try (ex) {
                if (ranges && range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                    int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
                    if (from >= body.length) {
                        ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                        ex.sendResponseHeaders(416, -1);
                        return;
                    }
                    ex.getResponseHeaders().set("Content-Range",
                            "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                    ex.sendResponseHeaders(206, body.length - from);
                    ex.getResponseBody().write(body, from, body.length - from);
                } else {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            }
        });
    }

    /** Answers {@code path} with a redirect to {@code location}, the way Hugging Face sends LFS files to its CDN. */
    private void redirect(HttpServer on, String path, String location, @Nullable String linkedEtag) {
        on.createContext(path, ex -> {
            record(ex);
            try (ex) {
                if (linkedEtag != null) {
                    ex.getResponseHeaders().set("X-Linked-Etag", "\"" + linkedEtag + "\"");
                }
                ex.getResponseHeaders().set("Location", location);
                ex.sendResponseHeaders(302, -1);
            }
        });
    }

    private long requestsFor(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    private static Path part(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    private static Path sidecar(Path target) {
        return target.resolveSibling(target.getFileName() + ".sha256");
    }

    @Test
    void downloadsVerifiesAndThenServesTheFileFromTheCache() throws IOException {
        serve("/m/model.gguf", MODEL, true);
        URI url = url("/m/model.gguf");

        Path file = downloader.fetch(url, MODEL_SHA.toUpperCase());

        assertThat(file).isEqualTo(downloader.cachedFile(url)).startsWith(cache);
        assertThat(file.getFileName().toString()).endsWith("-model.gguf");
        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
        assertThat(Files.readString(sidecar(file))).isEqualTo(MODEL_SHA);
        assertThat(part(file)).doesNotExist();
        assertThat(requests).containsExactly(new Request("/m/model.gguf", null, null));

        assertThat(downloader.fetch(url, MODEL_SHA)).isEqualTo(file);
        assertThat(downloader.fetch(url, null)).isEqualTo(file);
        assertThat(new ModelDownloader(cache, null, Duration.ZERO).fetch(url, MODEL_SHA))
                .as("a new downloader over the same cache finds the file too").isEqualTo(file);
        assertThat(requests).as("a verified cached file is not fetched again").hasSize(1);
    }

    @Test
    void downloadsWithoutAChecksumAndRecordsTheOneItComputed() throws IOException {
        serve("/m/model.gguf", MODEL, true);

        Path file = downloader.fetch(url("/m/model.gguf"), null);

        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
        assertThat(Files.readString(sidecar(file))).isEqualTo(MODEL_SHA);
    }

    @Test
    void downloadsAgainWhenTheCachedFileHasADifferentChecksumThanNowExpected() throws IOException {
        serve("/m/model.gguf", MODEL, true);
        URI url = url("/m/model.gguf");
        Path file = downloader.cachedFile(url);
        Files.createDirectories(cache);
        Files.write(file, new byte[] {1, 2, 3});
        Files.writeString(sidecar(file), sha256(new byte[] {1, 2, 3}));

        downloader.fetch(url, MODEL_SHA);

        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
        assertThat(Files.readString(sidecar(file))).isEqualTo(MODEL_SHA);
        assertThat(requests).hasSize(1);
    }

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws IOException {
        serve("/m/model.gguf", MODEL, true);
        URI url = url("/m/model.gguf");
        Path target = downloader.cachedFile(url);
        int half = MODEL.length / 2;
        Files.write(part(target), Arrays.copyOf(MODEL, half));

        Path file = downloader.fetch(url, MODEL_SHA);

        assertThat(requests).containsExactly(new Request("/m/model.gguf", "bytes=" + half + "-", null));
        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
        assertThat(part(target)).doesNotExist();
    }

    @Test
    void resumesWhereAConnectionThatDroppedMidwayStopped() throws IOException {
        int cut = 100_000;
        server.createContext("/flaky/model.gguf", ex -> {
            record(ex);
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range == null) {
                // promise the whole file, send part of it, then drop the connection
                ex.sendResponseHeaders(200, MODEL.length);
                ex.getResponseBody().write(MODEL, 0, cut);
                ex.getResponseBody().flush();
                // a handler that throws makes the server drop the connection, short of the promised length
                throw new IOException("simulated connection drop");
            }
            int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            try (ex) {
                ex.sendResponseHeaders(206, MODEL.length - from);
                ex.getResponseBody().write(MODEL, from, MODEL.length - from);
            }
        });
        URI url = url("/flaky/model.gguf");
        Path target = downloader.cachedFile(url);

        assertThatThrownBy(() -> downloader.fetch(url, MODEL_SHA))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("A partial download resumes when started again")
                .message().doesNotContain("cannot be reached");
        assertThat(part(target)).as("the bytes received are kept").hasSize(cut);

        Path file = downloader.fetch(url, MODEL_SHA);

        assertThat(requests).extracting(Request::range).containsExactly(null, "bytes=" + cut + "-");
        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
    }

    @Test
    void startsOverWhenTheServerIgnoresTheRange() throws IOException {
        serve("/m/model.gguf", MODEL, false);
        URI url = url("/m/model.gguf");
        Path target = downloader.cachedFile(url);
        Files.write(part(target), Arrays.copyOf(MODEL, 1000));

        Path file = downloader.fetch(url, MODEL_SHA);

        assertThat(requests).extracting(Request::range).containsExactly("bytes=1000-");
        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
    }

    @Test
    void finishesAPartFileThatWasAlreadyComplete() throws IOException {
        serve("/m/model.gguf", MODEL, true);
        URI url = url("/m/model.gguf");
        Path target = downloader.cachedFile(url);
        Files.write(part(target), MODEL);

        Path file = downloader.fetch(url, MODEL_SHA);

        assertThat(requests).extracting(Request::range).containsExactly("bytes=" + MODEL.length + "-");
        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
    }

    @Test
    void deletesTheDownloadWhenItsChecksumDoesNotMatch() {
        serve("/m/model.gguf", MODEL, true);
        URI url = url("/m/model.gguf");
        String wrong = "0".repeat(64);
        Path target = downloader.cachedFile(url);

        assertThatThrownBy(() -> downloader.fetch(url, wrong))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("SHA-256 " + MODEL_SHA)
                .hasMessageContaining(wrong + " was expected")
                .hasMessageContaining("deleted");
        assertThat(part(target)).doesNotExist();
        assertThat(target).doesNotExist();
        assertThat(sidecar(target)).doesNotExist();
    }

    @Test
    void checksTheDownloadAgainstTheChecksumAnnouncedOnTheFirstRedirect() throws IOException {
        serve("/cdn/blob", MODEL, true);
        redirect(server, "/org/repo/resolve/main/model.gguf", url("/cdn/blob").toString(), MODEL_SHA);
        URI url = url("/org/repo/resolve/main/model.gguf");

        Path file = downloader.fetch(url, null);

        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
        assertThat(file.getFileName().toString()).endsWith("-model.gguf");
        assertThat(Files.readString(sidecar(file))).isEqualTo(MODEL_SHA);
        assertThat(requests).extracting(Request::path).containsExactly("/org/repo/resolve/main/model.gguf", "/cdn/blob");
    }

    @Test
    void rejectsADownloadThatDoesNotMatchTheAnnouncedChecksum() {
        String announced = sha256("another file".getBytes());
        serve("/cdn/blob", MODEL, true);
        redirect(server, "/org/repo/resolve/main/model.gguf", "/cdn/blob", announced);
        URI url = url("/org/repo/resolve/main/model.gguf");
        Path target = downloader.cachedFile(url);

        assertThatThrownBy(() -> downloader.fetch(url, null))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining(announced + " was expected");
        assertThat(part(target)).doesNotExist();
        assertThat(target).doesNotExist();
        assertThat(requestsFor("/cdn/blob")).as("a relative Location is followed").isEqualTo(1);
    }

    @Test
    void letsTheConfiguredChecksumWinOverTheAnnouncedOne() throws IOException {
        serve("/cdn/blob", MODEL, true);
        redirect(server, "/r/model.gguf", "/cdn/blob", sha256("stale".getBytes()));

        Path file = downloader.fetch(url("/r/model.gguf"), MODEL_SHA);

        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
    }

    @Test
    void sendsTheTokenOnlyToTheModelUrlsOwnHost() throws IOException {
        HttpServer cdn;
        try {
            cdn = startServer("127.0.0.2");
        } catch (IOException e) {
            assumeTrue(false, "cannot bind 127.0.0.2 as a second host on this machine: " + e);
            return;
        }
        try {
            cdn.createContext("/blob", ex -> {
                record(ex);
                try (ex) {
                    ex.sendResponseHeaders(200, MODEL.length);
                    ex.getResponseBody().write(MODEL);
                }
            });
            redirect(server, "/gated/model.gguf", "http://127.0.0.2:" + cdn.getAddress().getPort() + "/blob", null);
            ModelDownloader withToken = new ModelDownloader(cache, "hf_secret", Duration.ZERO);

            withToken.fetch(url("/gated/model.gguf"), MODEL_SHA);

            assertThat(requests).containsExactly(
                    new Request("/gated/model.gguf", null, "Bearer hf_secret"),
                    new Request("/blob", null, null));
        } finally {
            cdn.stop(0);
        }
    }

    @Test
    void reportsAnHttpErrorWithItsStatusAndHowToSupplyTheFileByHand() {
        server.createContext("/missing.gguf", ex -> {
            record(ex);
            try (ex) {
                ex.sendResponseHeaders(404, -1);
            }
        });

        assertThatThrownBy(() -> downloader.fetch(url("/missing.gguf"), null))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("TANDEM_MODEL=");
    }

    @Test
    void tellsHowToSupplyTheFileWhenTheHostCannotBeReached() {
        DownloadException e = catchThrowableOfType(DownloadException.class,
                () -> downloader.fetch(URI.create("http://127.0.0.1:1/x.gguf"), null));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("http://127.0.0.1:1/x.gguf")
                .contains("cannot be reached")
                .contains("TANDEM_MODEL=/path/to/model.gguf");
        assertThat(downloader.cachedFile(URI.create("http://127.0.0.1:1/x.gguf"))).doesNotExist();
    }

    @Test
    void keepsTheQueryAndTokenOutOfMessages() {
        assertThatThrownBy(() -> downloader.fetch(URI.create("http://127.0.0.1:1/x.gguf?token=s3cret"), null))
                .isInstanceOf(DownloadException.class)
                .message().doesNotContain("s3cret");
    }

    @Test
    void downloadsOnceWhenTwoCallersFetchTheSameUrlAtOnce() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.createContext("/slow/model.gguf", ex -> {
            record(ex);
            arrived.countDown();
            try (ex) {
                release.await(30, TimeUnit.SECONDS);
                ex.sendResponseHeaders(200, MODEL.length);
                ex.getResponseBody().write(MODEL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        URI url = url("/slow/model.gguf");

        CompletableFuture<Path> first = new CompletableFuture<>();
        Thread a = Thread.ofPlatform().start(() -> complete(first, url));
        assertThat(arrived.await(30, TimeUnit.SECONDS)).as("first request reached the server").isTrue();
        CompletableFuture<Path> second = new CompletableFuture<>();
        Thread b = Thread.ofPlatform().start(() -> complete(second, url));
        awaitBlocked(b);
        release.countDown();
        a.join();
        b.join();

        assertThat(first.get()).isEqualTo(second.get());
        assertThat(Files.readAllBytes(first.get())).isEqualTo(MODEL);
        assertThat(requests).hasSize(1);
    }

    private void complete(CompletableFuture<Path> result, URI url) {
        try {
            result.complete(downloader.fetch(url, MODEL_SHA));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** Waits until {@code t} waits for the per-file lock held by the first fetch. */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.BLOCKED) {
            assertThat(System.nanoTime()).as("second caller never waited on the lock; state " + t.getState())
                    .isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void formatsSizesForProgressLogs() {
        assertThat(ModelDownloader.human(512)).isEqualTo("512 B");
        assertThat(ModelDownloader.human(1536)).isEqualTo("1.5 KiB");
        assertThat(ModelDownloader.human(5L * 1024 * 1024 * 1024)).isEqualTo("5.0 GiB");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
