package dev.tandem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Databases;
import dev.tandem.support.JarNode;
import java.io.InputStream;
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
            JarNode node = JarNode.start(dir, ADMIN_KEY, environment(config, env));
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
                    assertThat(chat(node, key, false).statusCode()).isEqualTo(200);
                }
                upstream.hold();
                for (int i = 0; i < 50; i++) {
                    HttpResponse<InputStream> s = chat(node, key, true);
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

            JarNode again = JarNode.start(dir, ADMIN_KEY, environment(config, env));
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
                assertThat(chat(again, key, false).statusCode()).as("the organization can spend again").isEqualTo(200);
            } finally {
                again.stop();
            }
            Process verify = JarNode.command(dir, ADMIN_KEY, environment(config, env), List.of("ledger", "verify")).start();
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

    /** The jar's environment for these tests: the catalog, short leases. */
    static Map<String, String> environment(Path config, Map<String, String> env) {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("TANDEM_CONFIG", config.toString());
        all.put("TANDEM_LEASE_TTL", "3s");
        all.putAll(env);
        return all;
    }

    static HttpResponse<InputStream> chat(JarNode node, String key, boolean stream) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/v1/chat/completions")))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"held\",\"max_tokens\":5,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say ok.\"}]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }
}
