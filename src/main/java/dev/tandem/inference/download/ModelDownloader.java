package dev.tandem.inference.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches model files named by URL into a cache directory, once.
 *
 * <p>A download resumes where an interrupted one stopped (HTTP range requests), logs its progress, and is checked
 * against a SHA-256: the configured one, else the one Hugging Face announces for LFS files
 * ({@code X-Linked-Etag}); without either, the computed checksum is logged so it can be pinned. A file whose
 * checksum does not match is deleted. Thread-safe; concurrent fetches of one URL download it once.
 */
public final class ModelDownloader {

    private static final Logger log = LoggerFactory.getLogger(ModelDownloader.class);
    private static final int MAX_REDIRECTS = 10;

    private final Path cacheDir;
    private final @Nullable String bearerToken;
    private final Duration progressEvery;
    private final HttpClient client;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param cacheDir      where files are kept
     * @param bearerToken   sent to the URL's own host (a Hugging Face token for gated models), or null
     * @param progressEvery how often progress is logged
     */
    public ModelDownloader(Path cacheDir, @Nullable String bearerToken, Duration progressEvery) {
        this.cacheDir = cacheDir;
        this.bearerToken = bearerToken == null || bearerToken.isBlank() ? null : bearerToken;
        this.progressEvery = progressEvery;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    /** Thrown when a model file cannot be had; the message says how to supply it by hand. */
    public static final class DownloadException extends RuntimeException {
        DownloadException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** The cached file for {@code url}, whether or not it exists yet. */
    public Path cachedFile(URI url) {
        String path = url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isBlank()) {
            name = "model.gguf";
        }
        String prefix = HexFormat.of().formatHex(sha256(url.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        return cacheDir.resolve(prefix + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * Returns the local copy of {@code url}, downloading it first if needed.
     *
     * @param expectedSha256 the file's SHA-256 in hex, or null to accept the server's checksum or none
     * @throws DownloadException when the file cannot be downloaded or fails its checksum
     */
    public Path fetch(URI url, @Nullable String expectedSha256) {
        Path target = cachedFile(url);
        synchronized (locks.computeIfAbsent(target.toString(), k -> new Object())) {
            Path verified = target.resolveSibling(target.getFileName() + ".sha256");
            if (Files.exists(target) && Files.exists(verified)) {
                String known = readQuietly(verified);
                if (expectedSha256 == null || expectedSha256.equalsIgnoreCase(known)) {
                    return target;
                }
            }
            try {
                Files.createDirectories(cacheDir);
                String sha = download(url, target, expectedSha256);
                Files.writeString(verified, sha);
                return target;
            } catch (IOException e) {
                throw new DownloadException(offlineHint(url, e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException("download of " + url + " was interrupted", e);
            }
        }
    }

    private String download(URI url, Path target, @Nullable String expectedSha256)
            throws IOException, InterruptedException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long have = Files.exists(part) ? Files.size(part) : 0;
        Resolved resolved = resolve(url, have);
        HttpResponse<InputStream> response = resolved.response();
        int status = response.statusCode();
        if (status == 416 && have > 0) {
            // the part file is already complete
            response.body().close();
        } else if (status == 200 || status == 206) {
            boolean append = status == 206 && have > 0;
            if (!append) {
                have = 0;
            }
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            long total = length < 0 ? -1 : have + length;
            log.info("downloading {} into {}{}{}", redact(url), target.getFileName(),
                    total > 0 ? " (" + human(total) + ")" : "", append ? ", resuming at " + human(have) : "");
            copy(response.body(), part, append, have, total, target.getFileName().toString());
        } else {
            response.body().close();
            throw new IOException("the server answered HTTP " + status);
        }
        String expected = expectedSha256 != null ? expectedSha256 : resolved.announcedSha256();
        String actual = HexFormat.of().formatHex(hashFile(part));
        if (expected != null && !expected.equalsIgnoreCase(actual)) {
            Files.deleteIfExists(part);
            throw new DownloadException("the download of " + redact(url) + " has SHA-256 " + actual + " but "
                    + expected + " was expected; the file was deleted", null);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("downloaded {} (sha256 {}{})", target.getFileName(), actual,
                expected == null ? ", not checked: set sha256 to pin it" : ", verified");
        return actual;
    }

    private record Resolved(HttpResponse<InputStream> response, @Nullable String announcedSha256) {
    }

    /** Follows redirects by hand so that the checksum announced on the first hop is not lost. */
    private Resolved resolve(URI url, long rangeFrom) throws IOException, InterruptedException {
        URI current = url;
        String sha = null;
        for (int hop = 0; hop < MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current).GET().header("user-agent", "tandem");
            if (rangeFrom > 0) {
                b.header("range", "bytes=" + rangeFrom + "-");
            }
            if (bearerToken != null && current.getHost() != null && current.getHost().equals(url.getHost())) {
                b.header("authorization", "Bearer " + bearerToken);
            }
            HttpResponse<InputStream> response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (sha == null) {
                sha = linkedSha256(response).orElse(null);
            }
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("location");
            if (status / 100 == 3 && location.isPresent()) {
                response.body().close();
                current = current.resolve(location.get());
                continue;
            }
            return new Resolved(response, sha);
        }
        throw new IOException("too many redirects from " + redact(url));
    }

    private static Optional<String> linkedSha256(HttpResponse<?> response) {
        return response.headers().firstValue("x-linked-etag")
                .map(v -> v.replace("\"", "").trim().toLowerCase(Locale.ROOT))
                .filter(v -> v.matches("[0-9a-f]{64}"));
    }

    private void copy(InputStream in, Path part, boolean append, long have, long total, String name) throws IOException {
        long done = have;
        long started = System.nanoTime();
        long lastLog = started;
        byte[] buffer = new byte[1 << 16];
        try (in; OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                done += n;
                long now = System.nanoTime();
                if (now - lastLog >= progressEvery.toNanos()) {
                    double seconds = (now - started) / 1e9;
                    log.info("downloading {}: {}{} at {}/s", name, human(done),
                            total > 0 ? " of " + human(total) + " (" + (done * 100 / total) + "%)" : "",
                            human((long) ((done - have) / Math.max(seconds, 1e-3))));
                    lastLog = now;
                }
            }
        }
        if (total > 0 && done != total) {
            throw new IOException("the connection ended after " + human(done) + " of " + human(total)
                    + "; start again to resume");
        }
    }

    private static String offlineHint(URI url, IOException e) {
        boolean offline = e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof HttpConnectTimeoutException || e.getCause() instanceof UnresolvedAddressException
                || e.getCause() instanceof UnknownHostException;
        return "cannot download the model from " + redact(url) + ": "
                + (offline ? "the host cannot be reached (no network?)" : e.getMessage())
                + ". Download the file on a machine that can reach it and give its path instead: "
                + "`path: /path/to/model.gguf` in the model's configuration, or TANDEM_MODEL=/path/to/model.gguf."
                + " A partial download resumes when started again.";
    }

    private static String redact(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + url.getPath();
    }

    private static byte[] hashFile(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static byte[] sha256(byte[] data) {
        return newDigest().digest(data);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
