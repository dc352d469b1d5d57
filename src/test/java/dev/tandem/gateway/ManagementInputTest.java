package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.TandemServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on the management API: every case gets a clear 4xx in OpenAI's error shape that names what is wrong,
 * and changes nothing.
 */
class ManagementInputTest {

    static TandemServer server;
    static Admin admin;
    static String org;
    static String keyId;

    @BeforeAll
    static void start() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("tandem.inference.models[0].id", "known");
        s.put("tandem.inference.models[0].engine", "openai");
        s.put("tandem.inference.models[0].base-url", "http://127.0.0.1:9/v1");
        server = TandemServer.start(s);
        admin = new Admin(server);
        org = admin.prepaidOrganization("input");
        admin.grant(org, "5.00", "input-seed");
        keyId = admin.call("POST", "/v1/admin/organizations/" + org + "/api_keys", "{\"name\":\"k\"}").ok().path("id")
                .asString();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> badInput() {
        String credits = "/v1/admin/organizations/{org}/credits";
        String keys = "/v1/admin/organizations/{org}/api_keys";
        String key = keys + "/{key}";
        String orgs = "/v1/admin/organizations";
        String one = orgs + "/{org}";
        return Stream.of(
                // top-ups
                Arguments.of("POST", credits, "{\"amount\":\"-5.00\",\"idempotency_key\":\"n1\"}", 400, "amount"),
                Arguments.of("POST", credits, "{\"amount\":\"0\",\"idempotency_key\":\"n2\"}", 400, "amount"),
                Arguments.of("POST", credits, "{\"amount\":\"1.0000001\",\"idempotency_key\":\"n3\"}", 400, "amount"),
                Arguments.of("POST", credits, "{\"amount\":\"ten\",\"idempotency_key\":\"n4\"}", 400, "amount"),
                Arguments.of("POST", credits, "{\"amount\":true,\"idempotency_key\":\"n5\"}", 400, "amount"),
                Arguments.of("POST", credits, "{\"amount\":\"99999999999\",\"idempotency_key\":\"n6\"}", 400,
                        "amount"),
                Arguments.of("POST", credits, "{\"amount\":\"1.00\"}", 400, "idempotency_key"),
                Arguments.of("POST", credits, "{\"idempotency_key\":\"n7\"}", 400, "amount"),
                // keys: allow-lists, limits, roles, networks, times
                Arguments.of("POST", keys, "{\"models\":[\"no-such-model\"]}", 400, "no-such-model"),
                Arguments.of("POST", keys, "{\"models\":\"known\"}", 400, "models"),
                Arguments.of("POST", keys, "{\"models\":[\"\"]}", 400, "models"),
                Arguments.of("PATCH", key, "{\"models\":[\"known\",\"unknown-2\"]}", 400, "unknown-2"),
                Arguments.of("POST", keys, "{\"rpm\":0}", 400, "rpm"),
                Arguments.of("POST", keys, "{\"rpm\":-1}", 400, "rpm"),
                Arguments.of("POST", keys, "{\"rpm\":100000000000}", 400, "rpm"),
                Arguments.of("POST", keys, "{\"tpm\":\"lots\"}", 400, "tpm"),
                Arguments.of("PATCH", key, "{\"tpm\":3000000000}", 400, "tpm"),
                Arguments.of("POST", keys, "{\"max_concurrent_streams\":0}", 400, "max_concurrent_streams"),
                Arguments.of("POST", keys, "{\"spend_limit_daily\":\"-1\"}", 400, "spend_limit_daily"),
                Arguments.of("POST", keys, "{\"spend_limit_monthly\":\"2000000000\"}", 400, "spend_limit_monthly"),
                Arguments.of("POST", keys, "{\"role\":\"god\"}", 400, "role"),
                Arguments.of("POST", keys, "{\"ip_allow\":[\"10.0.0.0/33\"]}", 400, "ip_allow"),
                Arguments.of("POST", keys, "{\"ip_allow\":[\"not-an-address\"]}", 400, "ip_allow"),
                Arguments.of("POST", keys, "{\"expires_at\":-5}", 400, "expires_at"),
                Arguments.of("POST", keys, "{\"name\":\"\"}", 400, "name"),
                Arguments.of("POST", keys, "{\"name\":\"" + "x".repeat(201) + "\"}", 400, "name"),
                // organizations and their billing terms
                Arguments.of("POST", orgs, "{}", 400, "name"),
                Arguments.of("POST", orgs, "{\"name\":\"x\",\"billing_mode\":\"free\"}", 400, "billing_mode"),
                Arguments.of("PATCH", one, "{\"price_multiplier_bp\":-1}", 400, "price_multiplier_bp"),
                Arguments.of("PATCH", one, "{\"price_multiplier_bp\":100000000}", 400, "price_multiplier_bp"),
                Arguments.of("PATCH", one, "{\"rpm\":0}", 400, "rpm"),
                Arguments.of("PATCH", one, "{\"tpm\":99999999999}", 400, "tpm"),
                Arguments.of("PATCH", one, "{\"low_balance_webhook\":\"ftp://x\"}", 400, "low_balance_webhook"),
                Arguments.of("PATCH", one, "{\"low_balance_threshold\":\"-3\"}", 400, "low_balance_threshold"),
                // not JSON, or not an object
                Arguments.of("POST", credits, "{\"amount\":", 400, "JSON"),
                Arguments.of("POST", keys, "not json at all", 400, "JSON"),
                Arguments.of("PATCH", one, "[1,2,3]", 400, "object"),
                Arguments.of("POST", orgs, "", 400, "body"),
                // things that are not there
                Arguments.of("POST", "/v1/admin/organizations/org_missing/credits",
                        "{\"amount\":\"1\",\"idempotency_key\":\"n8\"}", 404, "org_missing"),
                Arguments.of("PATCH", keys + "/key_missing", "{\"name\":\"x\"}", 404, "key_missing"));
    }

    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @MethodSource("badInput")
    void badInputGetsAClearClientErrorAndChangesNothing(String method, String path, String body, int status,
            String mentions) {
        long[] before = admin.credits(org);
        int keysBefore = admin.call("GET", "/v1/admin/organizations/" + org + "/api_keys", null).ok().path("data")
                .size();
        var before2 = admin.call("GET", "/v1/admin/organizations/" + org, null).ok();

        Admin.Reply r = admin.call(method, path.replace("{org}", org).replace("{key}", keyId), body);

        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        assertThat(r.body().path("error").path("type").asString()).isNotBlank();
        assertThat(r.body().path("error").path("message").asString()).as(r.body().toString())
                .containsIgnoringCase(mentions);
        assertThat(admin.credits(org)).isEqualTo(before);
        assertThat(admin.call("GET", "/v1/admin/organizations/" + org + "/api_keys", null).ok().path("data").size())
                .isEqualTo(keysBefore);
        assertThat(admin.call("GET", "/v1/admin/organizations/" + org, null).ok()).isEqualTo(before2);
    }
}
