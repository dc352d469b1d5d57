package dev.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database layer on both databases Tandem runs on: created and migrated on start, the owner organization
 * and its one-time admin key on first start only, keys kept as hashes, {@code TANDEM_ADMIN_KEY} registered.
 */
class DatabaseTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Pattern KEY = Pattern.compile("tdm_[A-Za-z0-9]{40}");

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void firstStartCreatesTheOwnerAndAOneTimeAdminKey(String database) throws Exception {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        Path data = Files.createTempDirectory("tandem-db-test-");
        Map<String, String> settings = new HashMap<>();
        settings.put("tandem.data-dir", data.toString());
        settings.put("tandem.identity.admin-key", "");
        if (pg != null) {
            settings.put("tandem.db.url", pg.url());
        }
        try {
            String first = captureStdout(() -> {
                try (TandemServer server = TandemServer.start(settings)) {
                    assertThat(readyz(server)).contains("\"database\":\"ok\"");
                }
            });
            Matcher m = KEY.matcher(first);
            assertThat(m.find()).as("an admin key is printed on first start").isTrue();
            String key = m.group();
            assertThat(m.find()).as("printed once").isFalse();

            String second;
            try (TandemServer server = TandemServer.start(settings)) {
                second = "";
                assertThat(status(server, key)).as("the printed key works after a restart").isEqualTo(200);
                assertThat(status(server, key + "x")).isEqualTo(401);
                JdbcClient jdbc = server.context().getBean(JdbcClient.class);
                List<String> hashes = jdbc.sql("SELECT secret_hash FROM api_keys").query(String.class).list();
                assertThat(hashes).hasSize(1).allMatch(h -> h.matches("[0-9a-f]{64}")).noneMatch(h -> h.contains(key));
                assertThat(jdbc.sql("SELECT COUNT(*) FROM flyway_schema_history WHERE success = true")
                        .query(Long.class).single()).isGreaterThanOrEqualTo(2);
                assertThat(jdbc.sql("SELECT COUNT(*) FROM organizations").query(Long.class).single()).isEqualTo(1);
            }
            assertThat(KEY.matcher(second).find()).isFalse();

            settings.put("tandem.identity.admin-key", "tdm_automation_key_for_ci_0123456789");
            String third = captureStdout(() -> {
                try (TandemServer server = TandemServer.start(settings)) {
                    assertThat(status(server, "tdm_automation_key_for_ci_0123456789")).isEqualTo(200);
                    assertThat(status(server, key)).isEqualTo(200);
                }
            });
            assertThat(KEY.matcher(third).find()).as("no new key is generated").isFalse();
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    private static int status(TandemServer server, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url("/v1/models")))
                .header("authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String readyz(TandemServer server) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url("/readyz"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    interface Action {
        void run() throws Exception;
    }

    static String captureStdout(Action action) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
