package dev.tandem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a user runs it: {@code java -jar target/tandem.jar} with one variable naming a model.
 * It starts on a fresh machine's defaults, prints its admin key once, keeps llama.cpp's native log off the
 * console, serves, and stops cleanly on SIGTERM.
 */
class TandemJarIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void runsFromTheJarWithEmbeddedDefaults(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("tandem.jar", "target/tandem.jar"));
        assertThat(jar).exists();
        runs(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()), dir);
    }

    @Test
    void runsThroughTheLauncherInItsFastStartForm(@TempDir Path dir) throws Exception {
        Path launcher = Path.of("tandem").toAbsolutePath();
        assertThat(launcher).isExecutable();
        runs(List.of(launcher.toString()), dir);
        assertThat(Path.of("target/app/tandem.aot")).as("the start-up cache was prepared").exists();
    }

    private void runs(List<String> command, Path dir) throws Exception {
        Path model = TestModels.stories();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("console.log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("TANDEM_MODEL", model.toString());
        pb.environment().put("TANDEM_PORT", Integer.toString(port));
        pb.environment().put("TANDEM_THREADS", "1");
        pb.environment().remove("TANDEM_ADMIN_KEY");
        long started = System.nanoTime();
        Process process = pb.start();
        try {
            waitFor(port, "/readyz", Duration.ofSeconds(120));
            String console = Files.readString(log);
            Matcher key = Pattern.compile("tdm_[A-Za-z0-9]{40}").matcher(console);
            assertThat(key.find()).as(console).isTrue();
            String adminKey = key.group();

            HttpResponse<String> chat = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/chat/completions")).header("authorization", "Bearer " + adminKey)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"stories260K\",\"max_tokens\":5,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(Files.exists(dir.resolve("data/tandem.db"))).as("SQLite in ./data by default").isTrue();
        } finally {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s of SIGTERM").isTrue();
        }
        String console = Files.readString(log);
        for (String nativeLine : List.of("llama_model_loader", "load_tensors", "slot update_slots", "srv ",
                "Extracted '", "system_info")) {
            assertThat(console).as("llama.cpp's own log stays off the console").doesNotContain(nativeLine);
        }
        assertThat(console).doesNotContain("WARNING: A restricted method");
        assertThat(console.indexOf("Tandem admin API key")).isEqualTo(console.lastIndexOf("Tandem admin API key"));
        System.out.println(command + ": ready after " + (System.nanoTime() - started) / 1_000_000
                + " ms (incl. model load)");
    }

    private static void waitFor(int port, String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Tandem did not answer " + path + " within " + timeout);
    }
}
