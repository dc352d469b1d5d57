package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Per-organization model access, set by the platform owner, and an organization's fallback policy. */
class ModelAccessTest {

    static ChatUpstream up, down;
    static TandemServer server;
    static Admin platform;

    @BeforeAll
    static void start() {
        up = new ChatUpstream(10, 3);
        down = new ChatUpstream(10, 3);
        down.failWith(503, null);
        Map<String, String> s = new LinkedHashMap<>(up.model(0, "open"));
        s.putAll(up.model(1, "closed"));
        s.putAll(down.model(2, "flaky", "fallbacks[0]", "steady"));
        s.putAll(up.model(3, "steady"));
        server = TandemServer.start(s);
        platform = new Admin(server);
    }

    @AfterAll
    static void stop() {
        Closing.all(server, up, down);
    }

    @Test
    void anOrganizationCallsAndSeesOnlyTheModelsThePlatformOwnerAllowsIt() {
        String org = platform.prepaidOrganization("limited");
        platform.grant(org, "1.00", "limited");
        JsonNode updated = platform.call("PATCH", "/v1/admin/organizations/" + org,
                "{\"models\":[\"open\",\"steady\"]}").ok();
        assertThat(updated.path("models").toString()).isEqualTo("[\"open\",\"steady\"]");
        String key = platform.key(org, "developer", "");
        String adminKey = platform.key(org, "admin", "");

        assertThat(Calls.openAi(server, key, "open", 5).status()).isEqualTo(200);
        Calls.Reply refused = Calls.openAi(server, key, "closed", 5);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("error").path("message").asString()).contains("Your organization may not use");
        assertThat(up.calls()).isEqualTo(1);

        Calls.Reply models = get(key, "/v1/models");
        assertThat(models.body().path("data").findValuesAsString("id")).containsExactly("open", "steady");
        assertThat(get(key, "/v1/models/closed").status()).isEqualTo(404);

        // the organization's own admin may not widen its access, nor name a model that does not exist
        Admin own = new Admin(server, adminKey);
        assertThat(own.call("PATCH", "/v1/admin/organizations/me", "{\"models\":[\"closed\"]}").status())
                .isEqualTo(403);
        assertThat(platform.call("PATCH", "/v1/admin/organizations/" + org, "{\"models\":[\"nope\"]}").status())
                .isEqualTo(400);
        // an empty list lifts the restriction
        platform.call("PATCH", "/v1/admin/organizations/" + org, "{\"models\":[]}").ok();
    }

    @Test
    void anOrganizationMayLetFallbacksAnswerAndACallerMayStillSayNo() throws Exception {
        String org = platform.prepaidOrganization("fallbacks");
        platform.grant(org, "1.00", "fallbacks");
        String adminKey = platform.key(org, "admin", "");
        String key = platform.key(org, "developer", "");
        assertThat(Calls.openAi(server, key, "flaky", 5).status()).isEqualTo(502);

        JsonNode o = new Admin(server, adminKey).call("PATCH", "/v1/admin/organizations/me",
                "{\"allow_fallbacks\":true}").ok();
        assertThat(o.path("allow_fallbacks").asBoolean()).isTrue();
        String freshKey = platform.key(org, "developer", ""); // keys verified before the change are cached a while
        Calls.Reply answered = Calls.openAi(server, freshKey, "flaky", 5);
        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.header("x-tandem-model")).isEqualTo("steady");
        Calls.Reply declined = Calls.postWith(server, "/v1/chat/completions", freshKey,
                Calls.chatBody("flaky", 5, false), "x-tandem-allow-fallbacks", "false");
        assertThat(declined.status()).isEqualTo(502);
    }

    static Calls.Reply get(String key, String path) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.url(path))).header("authorization", "Bearer " + key).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Calls.Reply(r.statusCode(), r, tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(r.body()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
