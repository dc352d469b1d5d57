package dev.tandem.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The model catalog managed at runtime through the management API: models and channels added, changed, switched
 * and removed without a restart; upstream keys sealed at rest and never shown; configuration seeding.
 */
class CatalogTest {

    static ChatUpstream a, b, seeded;
    static TandemServer server;
    static Admin admin;

    @BeforeAll
    static void start() {
        a = new ChatUpstream(10, 3);
        b = new ChatUpstream(10, 3);
        seeded = new ChatUpstream(10, 3);
        server = TandemServer.start(seeded.model(0, "seeded"));
        admin = new Admin(server);
    }

    @AfterAll
    static void stop() {
        Closing.all(server, a, b, seeded);
    }

    static String twoChannels(String keyOfA) {
        return "{\"channels\":["
                + "{\"channel\":\"a\",\"engine\":\"openai\",\"base_url\":\"" + a.baseUrl() + "\""
                + (keyOfA == null ? "" : ",\"api_key\":\"" + keyOfA + "\"") + ",\"weight\":1},"
                + "{\"channel\":\"b\",\"engine\":\"openai\",\"base_url\":\"" + b.baseUrl() + "\",\"weight\":1}]}";
    }

    @Test
    void aModelAddedAtRuntimeServesAtOnceAndItsKeyIsSealedAndNeverShown() {
        Admin.Reply created = admin.call("PUT", "/v1/admin/models/team/dyn",
                twoChannels("sk-secret-a").replaceFirst("\\{", "{\"aliases\":[\"dyn-latest\"],"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(created.body().toString()).doesNotContain("sk-secret-a");
        assertThat(created.body().path("channels").get(0).path("api_key_set").asBoolean()).isTrue();
        assertThat(created.body().path("channels").get(1).path("api_key_set").asBoolean()).isFalse();

        for (int i = 0; i < 20; i++) {
            assertThat(Calls.openAi(server, TandemServer.ADMIN_KEY, i % 2 == 0 ? "team/dyn" : "dyn-latest", 5)
                    .status()).isEqualTo(200);
        }
        assertThat(a.calls() + b.calls()).isEqualTo(20);
        assertThat(a.calls()).isPositive();
        assertThat(a.lastAuthorization()).isEqualTo("Bearer sk-secret-a");

        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        String sealed = jdbc.sql("SELECT api_key FROM model_channels WHERE model = 'team/dyn' AND position = 0")
                .query(String.class).single();
        assertThat(sealed).startsWith("v1:").doesNotContain("sk-secret-a");
        String settings = jdbc.sql("SELECT settings FROM model_channels WHERE model = 'team/dyn' AND position = 0")
                .query(String.class).single();
        assertThat(settings).doesNotContain("sk-secret-a");
        assertThat(admin.call("GET", "/v1/admin/models", null).ok().toString()).doesNotContain("sk-secret-a");

        // a change without the key keeps it
        admin.call("PUT", "/v1/admin/models/team/dyn", twoChannels(null).replaceFirst("\\{",
                "{\"aliases\":[\"dyn-latest\"],")).ok();
        int before = a.calls();
        while (a.calls() == before) {
            Calls.openAi(server, TandemServer.ADMIN_KEY, "team/dyn", 5);
        }
        assertThat(a.lastAuthorization()).isEqualTo("Bearer sk-secret-a");
    }

    @Test
    void anOperatorTakesAChannelOutAndPutsItBack() {
        admin.call("PUT", "/v1/admin/models/switched", twoChannels("k")).ok();
        JsonNode off = admin.call("PATCH", "/v1/admin/models/switched", "{\"disable\":[\"a\"]}").ok();
        assertThat(off.path("channels").get(0).path("state").asString()).isEqualTo("disabled");
        int aBefore = a.calls();
        for (int i = 0; i < 10; i++) {
            assertThat(Calls.openAi(server, TandemServer.ADMIN_KEY, "switched", 5).status()).isEqualTo(200);
        }
        assertThat(a.calls()).isEqualTo(aBefore);
        admin.call("PATCH", "/v1/admin/models/switched", "{\"enable\":[\"a\"]}").ok();
        for (int i = 0; i < 30; i++) {
            Calls.openAi(server, TandemServer.ADMIN_KEY, "switched", 5);
        }
        assertThat(a.calls()).isGreaterThan(aBefore);
        assertThat(admin.call("PATCH", "/v1/admin/models/switched", "{\"disable\":[\"zzz\"]}").status())
                .isEqualTo(400);
    }

    @Test
    void eachChannelChargesItsOwnEngineCost() {
        admin.call("PUT", "/v1/admin/models/costed", "{\"channels\":[{\"channel\":\"own\",\"engine\":\"openai\","
                + "\"base_url\":\"" + a.baseUrl() + "\",\"cost\":{\"input\":\"1000\",\"output\":\"2000\"}},"
                + "{\"channel\":\"paid\",\"engine\":\"openai\",\"priority\":1,\"base_url\":\"" + b.baseUrl()
                + "\",\"cost\":{\"input\":\"3000\",\"output\":\"4000\"}}]}").ok();
        assertThat(Calls.openAi(server, TandemServer.ADMIN_KEY, "costed", 5).status()).isEqualTo(200);
        admin.call("PATCH", "/v1/admin/models/costed", "{\"disable\":[\"own\"]}").ok();
        assertThat(Calls.openAi(server, TandemServer.ADMIN_KEY, "costed", 5).status()).isEqualTo(200);
        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        // 10 prompt and 3 output tokens at each channel's rates per million
        assertThat(jdbc.sql("SELECT backend, cost FROM usage_records WHERE model = 'costed' ORDER BY backend")
                .query((rs, i) -> rs.getString(1) + "=" + rs.getLong(2)).list())
                .containsExactly("own=16000", "paid=42000");
        assertThat(admin.call("PUT", "/v1/admin/models/badcost", "{\"channels\":[{\"engine\":\"openai\","
                + "\"base_url\":\"" + a.baseUrl() + "\",\"cost\":{\"input\":\"-1\"}}]}").status()).isEqualTo(400);
    }

    @Test
    void aRemovedModelIsGone() {
        admin.call("PUT", "/v1/admin/models/doomed", twoChannels(null)).ok();
        assertThat(Calls.openAi(server, TandemServer.ADMIN_KEY, "doomed", 5).status()).isEqualTo(200);
        assertThat(admin.call("DELETE", "/v1/admin/models/doomed", null).ok().path("deleted").asBoolean()).isTrue();
        assertThat(Calls.openAi(server, TandemServer.ADMIN_KEY, "doomed", 5).status()).isEqualTo(404);
        assertThat(admin.call("DELETE", "/v1/admin/models/doomed", null).status()).isEqualTo(404);
    }

    @Test
    void configuredModelsAreInTheCatalogWithTheirChannels() {
        JsonNode m = admin.call("GET", "/v1/admin/models/seeded", null).ok();
        assertThat(m.path("channels").get(0).path("channel").asString()).isEqualTo("openai:seeded");
        assertThat(m.path("channels").get(0).path("api_key_set").asBoolean()).isTrue();
        assertThat(m.path("channels").get(0).path("state").asString()).isEqualTo("closed");
    }

    static Stream<Arguments> badModels() {
        String ok = "{\"engine\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v1\"}";
        return Stream.of(
                Arguments.of("{}", "channels"),
                Arguments.of("{\"channels\":[]}", "channels"),
                Arguments.of("{\"channels\":[{\"engine\":\"gpt\"}]}", "engine"),
                Arguments.of("{\"channels\":[{\"engine\":\"openai\"}]}", "base_url"),
                Arguments.of("{\"channels\":[{\"engine\":\"openai\",\"base_url\":\"ftp://x\"}]}", "base_url"),
                Arguments.of("{\"channels\":[{\"engine\":\"llamacpp\"}]}", "path"),
                Arguments.of("{\"channels\":[" + ok.replace("}", ",\"weight\":0}") + "]}", "weight"),
                Arguments.of("{\"channels\":[" + ok.replace("}", ",\"colour\":\"red\"}") + "]}", "colour"),
                Arguments.of("{\"channels\":[" + ok + "],\"fallbacks\":[\"nowhere\"]}", "fallback"),
                Arguments.of("{\"channels\":[" + ok + "],\"aliases\":[\"seeded\"]}", "alias"),
                Arguments.of("{\"channels\":[" + ok.replace("}", ",\"channel\":\"x\"}") + ","
                        + ok.replace("}", ",\"channel\":\"x\"}") + "]}", "named twice"),
                Arguments.of("{\"channels\":[" + ok.replace("}", ",\"first_token_timeout_ms\":-1}") + "]}",
                        "first_token_timeout_ms"),
                Arguments.of("{\"channels\":" + ok + "}", "channels"),
                Arguments.of("{\"channels\":[", "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badModels")
    void badModelsAreRefusedWithTheReason(String body, String mentions) {
        Admin.Reply r = admin.call("PUT", "/v1/admin/models/bad", body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        assertThat(r.body().path("error").path("message").asString()).containsIgnoringCase(mentions);
        assertThat(admin.call("GET", "/v1/admin/models/bad", null).status()).isEqualTo(404);
    }

    @Test
    void onlyThePlatformAdminManagesModels() {
        String org = admin.prepaidOrganization("not-platform");
        Admin own = new Admin(server, admin.key(org, "admin", ""));
        assertThat(own.call("GET", "/v1/admin/models", null).status()).isEqualTo(403);
        assertThat(own.call("PUT", "/v1/admin/models/x", twoChannels(null)).status()).isEqualTo(403);
    }

    @Test
    void configurationSeedsOnceAndARestartKeepsRuntimeChangesUntilTheConfigurationChanges() throws Exception {
        Path data = Files.createTempDirectory("tandem-catalog-");
        ChatUpstream first = new ChatUpstream(10, 3);
        ChatUpstream second = new ChatUpstream(10, 3);
        try {
            Map<String, String> s = new LinkedHashMap<>(first.model(0, "kept"));
            s.put("tandem.data-dir", data.toString());
            try (TandemServer one = TandemServer.start(s)) {
                // changed at runtime: now served by the second upstream
                new Admin(one).call("PUT", "/v1/admin/models/kept", "{\"channels\":[{\"engine\":\"openai\","
                        + "\"base_url\":\"" + second.baseUrl() + "\"}]}").ok();
            }
            try (TandemServer again = TandemServer.start(s)) {
                assertThat(Calls.openAi(again, TandemServer.ADMIN_KEY, "kept", 5).status()).isEqualTo(200);
                assertThat(second.calls()).isEqualTo(1);
                assertThat(first.calls()).isZero();
            }
            s.put("tandem.inference.models[0].upstream-model", "renamed"); // the configuration changed: it wins
            try (TandemServer changed = TandemServer.start(s)) {
                assertThat(Calls.openAi(changed, TandemServer.ADMIN_KEY, "kept", 5).status()).isEqualTo(200);
                assertThat(first.calls()).isEqualTo(1);
            }
        } finally {
            first.close();
            second.close();
        }
    }
}
