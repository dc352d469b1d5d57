package dev.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Browser;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code TANDEM_OWNER_EMAIL} and {@code TANDEM_OWNER_PASSWORD} make the owner organization's first owner, who
 * is then a platform admin in the console; without a password one is generated and printed once.
 */
class OwnerBootstrapTest {

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theConfiguredOwnerSignsInAsPlatformAdmin(String database) throws Exception {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        Map<String, String> settings = new HashMap<>();
        settings.put("tandem.data-dir", Files.createTempDirectory("tandem-owner-").toString());
        settings.put("tandem.identity.owner-email", "root@tandem.test");
        settings.put("tandem.identity.owner-password", "the owner's password");
        if (pg != null) {
            settings.put("tandem.db.url", pg.url());
        }
        try {
            try (TandemServer server = TandemServer.start(settings)) {
                Browser owner = new Browser(server);
                JsonNode session = owner.signIn("root@tandem.test", "the owner's password").ok().json();
                assertThat(session.path("platform_admin").asBoolean()).isTrue();
                assertThat(session.path("organizations").get(0).path("role").asString()).isEqualTo("owner");
                assertThat(session.path("organizations").get(0).path("owner").asBoolean()).isTrue();
                assertThat(owner.call("POST", "/v1/admin/organizations", "{\"name\":\"made by a person\"}").status())
                        .isEqualTo(201);
            }
            settings.put("tandem.identity.owner-password", "a different password");
            try (TandemServer server = TandemServer.start(settings)) {
                assertThat(new Browser(server).signIn("root@tandem.test", "the owner's password").status())
                        .as("a later start changes nothing").isEqualTo(200);
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @Test
    void withoutAPasswordOneIsGeneratedAndPrintedOnce() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("tandem.data-dir", Files.createTempDirectory("tandem-owner-").toString());
        settings.put("tandem.identity.owner-email", "first@tandem.test");
        Pattern printed = Pattern.compile("first@tandem.test, password \\(shown once\\): (\\S+)");
        String out = DatabaseTest.captureStdout(() -> TandemServer.start(settings).close());
        Matcher m = printed.matcher(out);
        assertThat(m.find()).as("printed on first start").isTrue();
        String again = DatabaseTest.captureStdout(() -> {
            try (TandemServer server = TandemServer.start(settings)) {
                assertThat(new Browser(server).signIn("first@tandem.test", m.group(1)).status()).isEqualTo(200);
            }
        });
        assertThat(printed.matcher(again).find()).as("printed once").isFalse();
    }
}
