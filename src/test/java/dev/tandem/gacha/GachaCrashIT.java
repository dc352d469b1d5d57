package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Databases;
import dev.tandem.support.JarNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kill -9} of the jar while 16 clients draw ten-pulls as fast as it answers, then a restart: every draw a
 * client was told about is there; every recorded draw has its ten cards, its shards and exactly its gems spend, and
 * no gems were spent without a draw; {@code ledger verify} is clean; the draws that were in flight, sent again with
 * their keys, each count once. On SQLite (the default) and on PostgreSQL.
 */
class GachaCrashIT {

    static final String ADMIN_KEY = "tdm_gacha_crash_admin_key_0123456789abcdefgh";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient ADMIN = HttpClient.newHttpClient();

    @Test
    void onSqlite(@TempDir Path dir) throws Exception {
        crashWhileDrawing(dir, Map.of());
    }

    @Test
    void onPostgres(@TempDir Path dir) throws Exception {
        try (Databases.Fresh db = Databases.freshPostgres()) {
            crashWhileDrawing(dir, Map.of("TANDEM_DB_URL", db.url()));
        }
    }

    void crashWhileDrawing(Path dir, Map<String, String> env) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of(System.getProperty("tandem.jar", "target/tandem.jar"))),
                "skipped: no jar to run; ./mvnw verify builds it first");
        String url = env.getOrDefault("TANDEM_DB_URL", "jdbc:sqlite:" + dir.resolve("data/tandem.db"));
        JarNode node = JarNode.start(dir, ADMIN_KEY, environment(dir, env));
        Set<String> told = ConcurrentHashMap.newKeySet();
        Set<String> inFlight = ConcurrentHashMap.newKeySet();
        String banner;
        String person;
        Person p;
        try {
            p = new Person(node);
            p.signUp();
            String character = p.post("/create", Map.of("name", "Crash", "firstMessage", "Hi.", "visibility", "public",
                    "rating", "everyone")).headers().firstValue("location").orElseThrow().replaceAll(".*/c/", "");
            List<String> pool = new ArrayList<>();
            String[][] cards = {{"UR", "true"}, {"UR", "false"}, {"SR", "true"}, {"SR", "false"}, {"R", "false"},
                {"R", "false"}, {"R", "false"}};
            for (int i = 0; i < cards.length; i++) {
                String id = node.admin("POST", "/v1/admin/cards", "{\"character_id\":\"" + character + "\",\"name\":\"C"
                        + i + "\",\"rarity\":\"" + cards[i][0] + "\",\"unlock_kind\":\"story\",\"unlock_text\":\"s\"}")
                        .path("id").asString();
                pool.add("{\"card_id\":\"" + id + "\",\"featured\":" + cards[i][1] + "}");
            }
            long now = System.currentTimeMillis() / 1000;
            banner = node.admin("POST", "/v1/admin/banners", "{\"name\":\"Crash\",\"starts_at\":" + (now - 5)
                    + ",\"ends_at\":" + (now + 3600) + ",\"rules\":\"genshin\",\"cards\":[" + String.join(",", pool)
                    + "]}").path("id").asString();
            person = personId(url, p.handle);
            node.admin("POST", "/v1/admin/people/" + person + "/gems", "{\"amount\":1000000,\"idempotency_key\":\"crash\"}");

            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            for (int c = 0; c < 16; c++) {
                int client = c;
                clients.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String key = "crash-" + client + "-" + i;
                        inFlight.add(key);
                        try {
                            HttpResponse<String> r = p.post("/banners/" + banner + "/draw", Map.of("pulls", "10",
                                    "key", key));
                            if (r.statusCode() == 302) {
                                told.add(key);
                                inFlight.remove(key);
                            }
                        } catch (IOException | RuntimeException gone) {
                            return; // the node died under this request: the key stays in flight
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (told.size() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(told.size()).as("draws answered before the kill").isGreaterThanOrEqualTo(100);
            node.kill();
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            node.kill();
        }

        long recorded = consistent(url, person, told);
        System.out.printf("gacha crash: %d draws answered, %d in flight at the kill, %d recorded%n", told.size(),
                inFlight.size(), recorded);
        assertThat(inFlight).as("the kill hit draws in flight").isNotEmpty();
        JarNode again = JarNode.start(dir, ADMIN_KEY, environment(dir, env));
        try {
            Person back = p.on(again);
            for (String key : inFlight) {
                HttpResponse<String> r = back.post("/banners/" + banner + "/draw", Map.of("pulls", "10", "key", key));
                assertThat(r.statusCode()).as(key + ": " + r.body()).isEqualTo(302);
                told.add(key);
            }
            JsonNode wallet = again.admin("GET", "/v1/admin/people/" + person + "/gems", null);
            long after = consistent(url, person, told);
            assertThat(after).as("a key in flight counts once").isLessThanOrEqualTo(recorded + inFlight.size());
            assertThat(wallet.path("balance").path("total").asLong()).isEqualTo(1_000_000 - 1600 * after);
        } finally {
            again.stop();
        }
        Process verify = JarNode.command(dir, ADMIN_KEY, environment(dir, env), List.of("ledger", "verify")).start();
        assertThat(verify.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.exitValue()).as(out).isZero();
    }

    /** Checks the database whole; returns how many draws it holds. */
    static long consistent(String url, String person, Set<String> told) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(GachaConsistency.problems(c)).isEmpty();
            Set<String> keys;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT idempotency_key FROM gacha_draws WHERE person_id = '" + person + "'")) {
                keys = new java.util.HashSet<>();
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            assertThat(keys).as("every draw a client was told about survived").containsAll(told);
            return keys.size();
        }
    }

    static String personId(String url, String handle) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT person_id FROM companion_profiles WHERE handle = '" + handle + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** A person in the app: cookies, CSRF token, form posts. */
    static final class Person {
        final JarNode node;
        final CookieManager cookies;
        final HttpClient http;
        final String handle;
        volatile String csrf = "";

        Person(JarNode node) {
            this(node, new CookieManager(), "crash_" + Long.toHexString(System.nanoTime() & 0xffffff));
        }

        private Person(JarNode node, CookieManager cookies, String handle) {
            this.node = node;
            this.cookies = cookies;
            this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            this.handle = handle;
        }

        /** The same person (cookies and token) talking to another node. */
        Person on(JarNode other) {
            Person p = new Person(other, cookies, handle);
            p.csrf = csrf;
            return p;
        }

        void signUp() throws Exception {
            HttpResponse<String> r = post("/sign-up", Map.of("email", handle + "@example.com", "name", "Crash",
                    "handle", handle, "password", "correct horse battery", "birth_date",
                    LocalDate.now().minusYears(30).toString()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
            String page = http.send(HttpRequest.newBuilder(URI.create(node.url("/gems"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
            assertThat(m.find()).isTrue();
            csrf = m.group(1);
        }

        HttpResponse<String> post(String path, Map<String, String> fields) throws IOException {
            Map<String, String> all = new java.util.LinkedHashMap<>(fields);
            all.put("_csrf", csrf);
            String form = all.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            try {
                return http.send(HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(60))
                        .header("content-type", "application/x-www-form-urlencoded").header("origin", node.url(""))
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** The jar's environment for these tests: its data directory under {@code dir}. */
    static Map<String, String> environment(Path dir, Map<String, String> env) {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("TANDEM_DATA_DIR", dir.resolve("data").toString());
        all.putAll(env);
        return all;
    }
}
