package dev.tandem.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tandem from the packaged jar ({@code target/tandem.jar}, or the {@code tandem.jar} property), in its own process,
 * as users start it: for the tests that kill it.
 *
 * @param adminKey the platform admin key it was started with
 */
public record JarNode(Process process, int port, String adminKey) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The command that runs the jar in {@code dir} with these arguments and environment (plus the admin key). */
    public static ProcessBuilder command(Path dir, String adminKey, Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Path.of(System.getProperty("tandem.jar", "target/tandem.jar"))
                .toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TANDEM_ADMIN_KEY", adminKey);
        pb.environment().putAll(env);
        return pb;
    }

    /** Starts the server on a free port (its output appended to {@code dir/console.log}) and waits until ready. */
    public static JarNode start(Path dir, String adminKey, Map<String, String> env) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = command(dir, adminKey, env, List.of());
        pb.environment().put("TANDEM_PORT", Integer.toString(port));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()));
        JarNode node = new JarNode(pb.start(), port, adminKey);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/readyz"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return node;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !node.process.isAlive()) {
                node.kill();
                throw new AssertionError("Tandem did not start: " + Files.readString(dir.resolve("console.log")));
            }
            Thread.sleep(50);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A management call with the admin key; asserts a 2xx answer and returns its JSON. */
    public JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("authorization", "Bearer " + adminKey).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    /** SIGKILL: no shutdown hook, nothing drained or given back. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A graceful stop, killed after 30 s. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
