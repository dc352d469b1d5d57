package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.TandemServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The role matrix of the management API for console sessions: what an owner, admin, developer, billing member,
 * viewer and the platform admin (an owner of the owner organization) may do in one organization.
 */
class ManagementRolesTest {

    static TandemServer server;
    static Admin admin;
    static String org;
    static final Map<String, Browser> AS = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of("tandem.identity.owner-email", "platform@roles.test",
                "tandem.identity.owner-password", "platform password"));
        admin = new Admin(server);
        org = admin.prepaidOrganization("roles");
        for (String role : new String[] {"owner", "admin", "developer", "billing", "viewer"}) {
            Browser.person(admin, org, role + "@roles.test", role, role + " password");
            Browser b = new Browser(server);
            b.signIn(role + "@roles.test", role + " password").ok();
            AS.put(role, b);
        }
        Browser platform = new Browser(server);
        platform.signIn("platform@roles.test", "platform password").ok();
        AS.put("platform", platform);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static final String O = "/v1/admin/organizations/{org}";

    /** (method, path, body, expected status for owner, admin, developer, billing, viewer, platform admin) */
    static Stream<Arguments> matrix() {
        return Stream.of(
                row("GET", O, null, 200, 200, 200, 200, 200, 200),
                row("PATCH", O, "{\"low_balance_threshold\":\"2.00\"}", 200, 200, 403, 403, 403, 200),
                row("PATCH", O, "{\"rpm\":100}", 403, 403, 403, 403, 403, 200),
                row("GET", O + "/credits", null, 200, 200, 200, 200, 200, 200),
                row("POST", O + "/credits", "{\"amount\":\"1.00\",\"idempotency_key\":\"roles-{role}\"}",
                        403, 403, 403, 403, 403, 200),
                row("GET", O + "/api_keys", null, 200, 200, 200, 403, 200, 200),
                row("POST", O + "/api_keys", "{\"name\":\"mine\",\"role\":\"developer\"}", 201, 201, 201, 403, 403, 201),
                row("POST", O + "/api_keys", "{\"name\":\"root\",\"role\":\"admin\"}", 201, 201, 403, 403, 403, 201),
                row("GET", O + "/members", null, 200, 200, 200, 200, 200, 200),
                row("GET", O + "/invitations", null, 200, 200, 200, 200, 200, 200),
                row("POST", O + "/members", "{\"email\":\"new-{role}@roles.test\",\"role\":\"viewer\"}",
                        201, 201, 403, 403, 403, 201),
                row("GET", "/v1/admin/organizations", null, 403, 403, 403, 403, 403, 200),
                row("POST", "/v1/admin/organizations", "{\"name\":\"by {role}\"}", 403, 403, 403, 403, 403, 201));
    }

    static Arguments row(String method, String path, String body, int... expected) {
        return Arguments.of(method, path, body, expected);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void eachRoleMayDoWhatTheMatrixSays(String method, String path, String body, int[] expected) {
        String[] roles = AS.keySet().toArray(String[]::new);
        Map<String, Integer> actual = new LinkedHashMap<>();
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (int i = 0; i < roles.length; i++) {
            String b = body == null ? null : body.replace("{role}", roles[i]);
            actual.put(roles[i], AS.get(roles[i]).call(method, path.replace("{org}", org), b).status());
            wanted.put(roles[i], expected[i]);
        }
        assertThat(actual).isEqualTo(wanted);
    }

    @Test
    void aDeveloperManagesOnlyTheKeysTheyMade() {
        Browser dev = AS.get("developer");
        String keys = "/v1/admin/organizations/" + org + "/api_keys";
        String own = dev.call("POST", keys, "{\"name\":\"dev's\"}").ok().json().path("id").asString();
        String others = AS.get("admin").call("POST", keys, "{\"name\":\"admin's\"}").ok().json().path("id").asString();

        assertThat(dev.call("PATCH", keys + "/" + own, "{\"rpm\":5}").ok().json().path("rpm").asInt()).isEqualTo(5);
        assertThat(dev.call("PATCH", keys + "/" + own, "{\"role\":\"admin\"}").status())
                .as("no promotion of one's own key").isEqualTo(403);
        assertThat(dev.call("PATCH", keys + "/" + others, "{\"rpm\":5}").status()).isEqualTo(403);
        assertThat(dev.call("POST", keys + "/" + others + "/rotate", null).status()).isEqualTo(403);
        assertThat(dev.call("DELETE", keys + "/" + others, null).status()).isEqualTo(403);
        assertThat(admin.call("GET", keys + "/" + others, null).ok().path("revoked_at").isNull()).isTrue();

        String rotated = dev.call("POST", keys + "/" + own + "/rotate", null).ok().json().path("id").asString();
        assertThat(dev.call("DELETE", keys + "/" + rotated, null).ok().json().path("revoked_at").isNull()).isFalse();
        assertThat(AS.get("viewer").call("DELETE", keys + "/" + others, null).status()).isEqualTo(403);
        assertThat(AS.get("owner").call("DELETE", keys + "/" + others, null).status()).isEqualTo(200);
    }

    @Test
    void aRoleChangeAppliesToTheNextRequest() {
        String o = admin.prepaidOrganization("promotion");
        String id = Browser.person(admin, o, "rising@roles.test", "viewer", "rising password");
        Browser rising = new Browser(server);
        rising.signIn("rising@roles.test", "rising password").ok();
        String keys = "/v1/admin/organizations/" + o + "/api_keys";
        assertThat(rising.call("POST", keys, "{\"name\":\"k\"}").status()).isEqualTo(403);
        admin.call("PATCH", "/v1/admin/organizations/" + o + "/members/" + id, "{\"role\":\"developer\"}").ok();
        assertThat(rising.call("POST", keys, "{\"name\":\"k\"}").status()).isEqualTo(201);
        admin.call("DELETE", "/v1/admin/organizations/" + o + "/members/" + id, null).ok();
        assertThat(rising.call("GET", keys, null).status()).as("removed: the organization is gone for them")
                .isEqualTo(404);
    }
}
