package dev.tandem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Databases;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kill -9} of a node while 50 streams run, then a restart: the credits the dead node held come back (its
 * lease expires and is given back), every settled call stays charged, no credit is made or lost, and
 * {@code ledger verify} is clean. On SQLite (the default) and on PostgreSQL.
 */
class CrashRecoveryIT {

    static final String ADMIN_KEY = "tdm_crash_test_admin_key_0123456789abcdefghij";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void onSqlite(@TempDir Path dir) throws Exception {
        crashAndRecover(dir, Map.of());
    }

    @Test
    void onPostgres(@TempDir Path dir) throws Exception {
        try (Databases.Fresh db = Databases.freshPostgres()) {
            crashAndRecover(dir, Map.of("TANDEM_DB_URL", db.url()));
        }
    }

    void crashAndRecover(Path dir, Map<String, String> env) throws Exception {
        try (ChatUpstream upstream = new ChatUpstream(10, 5)) {
            Path config = dir.resolve("tandem.yaml");
            Files.writeString(config, """
                    tandem:
                      inference:
                        models:
                          - id: held
                            engine: openai
                            base-url: %s
                            api-key: sk-test
                      billing:
                        prices:
                          - model: held
                            input: "1000"
                            output: "1000"
                    """.formatted(upstream.baseUrl()));
            Node node = Node.start(dir, config, env);
            String org;
            String key;
            int settledCalls = 10;
            List<HttpResponse<InputStream>> streams = new ArrayList<>();
            try {
                org = node.admin("POST", "/v1/admin/organizations", "{\"name\":\"crash\",\"billing_mode\":\"prepaid\"}")
                        .path("id").asString();
                node.admin("POST", "/v1/admin/organizations/" + org + "/credits",
                        "{\"amount\":\"100.00\",\"idempotency_key\":\"crash-grant\"}");
                key = node.admin("POST", "/v1/admin/organizations/" + org + "/api_keys", "{\"name\":\"k\"}")
                        .path("secret").asString();
                for (int i = 0; i < settledCalls; i++) {
                    assertThat(node.chat(key, false).statusCode()).isEqualTo(200);
                }
                upstream.hold();
                for (int i = 0; i < 50; i++) {
                    HttpResponse<InputStream> s = node.chat(key, true);
                    assertThat(s.statusCode()).isEqualTo(200);
                    assertThat(s.body().read()).as("stream %d started", i).isPositive();
                    streams.add(s);
                }
                JsonNode credits = node.admin("GET", "/v1/admin/organizations/" + org + "/credits", null);
                assertThat(credits.path("held_micros").asLong()).as("the running node holds credits").isPositive();
            } finally {
                node.kill();
                upstream.release();
                for (HttpResponse<InputStream> s : streams) {
                    s.body().close();
                }
            }

            Node again = Node.start(dir, config, env);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                JsonNode credits;
                while ((credits = again.admin("GET", "/v1/admin/organizations/" + org + "/credits", null))
                        .path("held_micros").asLong() != 0) {
                    assertThat(System.nanoTime()).as("the dead node's lease was given back").isLessThan(deadline);
                    Thread.sleep(200);
                }
                long charged = 15_000L * settledCalls; // $0.015 a call, for the calls that completed
                assertThat(credits.path("balance_micros").asLong()).isEqualTo(100_000_000L - charged);
                assertThat(again.chat(key, false).statusCode()).as("the organization can spend again").isEqualTo(200);
            } finally {
                again.stop();
            }
            Process verify = Node.process(dir, config, env, List.of("ledger", "verify")).start();
            assertThat(verify.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(verify.getInputStream().readAllBytes());
            assertThat(verify.exitValue()).as(out).isZero();
            assertOpenLeases(dir, env, 0);
        }
    }

    static void assertOpenLeases(Path dir, Map<String, String> env, int expected) throws Exception {
        String url = env.getOrDefault("TANDEM_DB_URL", "jdbc:sqlite:" + dir.resolve("data/tandem.db"));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM credit_leases WHERE status = 'open'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("open credit leases").isEqualTo(expected);
        }
    }

    /** Tandem from the jar, in its own process. */
    record Node(Process process, int port) {

        static ProcessBuilder process(Path dir, Path config, Map<String, String> env, List<String> args) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", Path.of(System.getProperty("tandem.jar", "target/tandem.jar"))
                    .toAbsolutePath().toString()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("TANDEM_ADMIN_KEY", ADMIN_KEY);
            pb.environment().put("TANDEM_CONFIG", config.toString());
            pb.environment().put("TANDEM_LEASE_TTL", "3s");
            pb.environment().putAll(env);
            return pb;
        }

        static Node start(Path dir, Path config, Map<String, String> env) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = process(dir, config, env, List.of());
            pb.environment().put("TANDEM_PORT", Integer.toString(port));
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()));
            Node node = new Node(pb.start(), port);
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

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        JsonNode admin(String method, String path, String body) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .header("authorization", "Bearer " + ADMIN_KEY).header("content-type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
            return JSON.readTree(r.body());
        }

        HttpResponse<InputStream> chat(String key, boolean stream) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url("/v1/chat/completions")))
                    .header("authorization", "Bearer " + key).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"held\",\"max_tokens\":5,\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say ok.\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no draining, no lease given back
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
