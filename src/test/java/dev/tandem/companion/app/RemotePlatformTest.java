package dev.tandem.companion.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The app run against a remote Tandem (the HTTP platform client): replies come from the other server, which
 * admits and meters them for the key the app was given; this one runs no model at all.
 */
class RemotePlatformTest {

    static TandemServer platform;
    static TandemServer app;
    static String organization;

    @BeforeAll
    static void start() {
        Map<String, String> p = new LinkedHashMap<>(TandemServer.storiesSettings());
        p.put("tandem.inference.models[0].context-size", "8192");
        platform = TandemServer.start(p);
        Admin admin = new Admin(platform);
        organization = admin.call("POST", "/v1/admin/organizations", "{\"name\":\"Remote app\"}").ok().path("id")
                .asString();
        admin.grant(organization, "10.00", "remote-app-credit");
        String key = admin.key(organization, "developer", "");
        Map<String, String> s = new LinkedHashMap<>();
        s.put("tandem.companion.platform-url", platform.url(""));
        s.put("tandem.companion.platform-key", key);
        s.put("tandem.companion.model", "stories");
        s.put("tandem.companion.context-tokens", "8192");
        s.put("tandem.companion.reply-tokens", "16");
        app = TandemServer.start(s);
    }

    @AfterAll
    static void stop() {
        Closing.all(app, platform);
    }

    @Test
    void repliesComeFromTheRemotePlatformAndAreMeteredThere() throws Exception {
        Browser b = CompanionAppTest.signUp(app, 30);
        String chat = CompanionAppTest.startChat(b, CompanionAppTest.importSeraphina(b, "private"));
        String sse = CompanionAppTest.send(app, b, chat, "Hello, who are you and where am I right now?");
        assertThat(sse).contains("event: delta");
        JsonNode usage = new Admin(platform).call("GET", "/v1/organization/usage/completions?organization_id="
                + organization + "&bucket_width=1d&start_time=" + (System.currentTimeMillis() / 1000 - 2 * 86400), null)
                .ok();
        long requests = 0;
        for (JsonNode bucket : usage.path("data")) {
            for (JsonNode result : bucket.path("results")) {
                requests += result.path("num_model_requests").asLong();
            }
        }
        assertThat(requests).isGreaterThanOrEqualTo(1);
    }
}
