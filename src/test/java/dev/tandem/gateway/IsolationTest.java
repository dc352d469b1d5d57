package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.TandemServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Isolation (issue 3, section 6): no key or session of organization A reads or changes anything of organization
 * B. The table is every route under {@code /v1/admin/organizations/{org}} that the server maps, so a new route is
 * covered the day it is added; each is called, read or write, with B's ids by A's admin key, A's owner session
 * (with a valid CSRF token, so only isolation can refuse it) and A's developer key, and B is unchanged after.
 */
class IsolationTest {

    static TandemServer server;
    static Admin platform;
    static String a;
    static String b;
    static String bKey;
    static String bPerson;
    static String bInvitation;

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of());
        platform = new Admin(server);
        a = platform.prepaidOrganization("A");
        b = platform.prepaidOrganization("B");
        platform.grant(b, "10.00", "isolation-b");
        bKey = platform.call("POST", "/v1/admin/organizations/" + b + "/api_keys", "{\"name\":\"b's\"}").ok()
                .path("id").asString();
        bPerson = Browser.person(platform, b, "owner@b.test", "owner", "b owner password");
        bInvitation = platform.call("POST", "/v1/admin/organizations/" + b + "/members",
                "{\"email\":\"invited@b.test\",\"role\":\"admin\"}").ok().path("id").asString();
        Browser.person(platform, a, "owner@a.test", "owner", "a owner password");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Every (method, pattern) the server maps under an organization. */
    static List<String[]> routes() {
        RequestMappingHandlerMapping mapping = server.context().getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        TreeSet<String> seen = new TreeSet<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/v1/admin/organizations/{org}")) {
                    info.getMethodsCondition().getMethods().forEach(m -> seen.add(m.name() + " " + pattern));
                }
            }
        }
        List<String[]> routes = new ArrayList<>();
        seen.forEach(r -> routes.add(r.split(" ", 2)));
        return routes;
    }

    /** A body that would be valid, so that only isolation can refuse the call. */
    static String body(String method, String pattern) {
        if (method.equals("GET") || method.equals("DELETE")) {
            return null;
        }
        if (pattern.endsWith("/credits")) {
            return "{\"amount\":\"5.00\",\"idempotency_key\":\"steal\"}";
        }
        if (pattern.endsWith("/members")) {
            return "{\"email\":\"spy@a.test\",\"role\":\"owner\"}";
        }
        if (pattern.endsWith("/members/{person}")) {
            return "{\"role\":\"viewer\"}";
        }
        if (pattern.endsWith("/api_keys") || pattern.endsWith("/api_keys/{key}")) {
            return "{\"name\":\"stolen\",\"role\":\"admin\"}";
        }
        return pattern.endsWith("/rotate") ? null : "{\"low_balance_threshold\":\"1.00\"}";
    }

    static String path(String pattern) {
        return pattern.replace("{org}", b).replace("{key}", bKey).replace("{person}", bPerson)
                .replace("{invitation}", bInvitation);
    }

    /** What B looks like to its own platform admin: organization, keys, members, invitations, credits. */
    static String stateOfB() {
        String base = "/v1/admin/organizations/" + b;
        return platform.call("GET", base, null).ok().toString()
                + platform.call("GET", base + "/api_keys", null).ok()
                + platform.call("GET", base + "/members", null).ok()
                + platform.call("GET", base + "/invitations", null).ok()
                + platform.call("GET", base + "/credits", null).ok();
    }

    @Test
    void noKeyOrSessionOfOneOrganizationReachesAnother() {
        List<String[]> routes = routes();
        assertThat(routes).as("every organization route is in the table").hasSizeGreaterThanOrEqualTo(16)
                .anyMatch(r -> r[1].endsWith("/members/{person}")).anyMatch(r -> r[1].endsWith("/rotate"));
        String before = stateOfB();
        Admin aKey = new Admin(server, platform.key(a, "admin", ""));
        Admin aDeveloper = new Admin(server, platform.key(a, "developer", ""));
        Browser aOwner = new Browser(server);
        aOwner.signIn("owner@a.test", "a owner password").ok();

        List<String> leaks = new ArrayList<>();
        for (String[] route : routes) {
            String method = route[0];
            String path = path(route[1]);
            String body = body(method, route[1]);
            check(leaks, "A's admin key", method, path, aKey.call(method, path, body).status());
            check(leaks, "A's developer key", method, path, aDeveloper.call(method, path, body).status());
            check(leaks, "A's owner session", method, path, aOwner.send(method, path, body,
                    Map.of("x-csrf-token", aOwner.csrf(), "origin", server.url(""))).status());
        }
        assertThat(leaks).isEmpty();
        assertThat(stateOfB()).as("B is unchanged").isEqualTo(before);
        assertThat(aOwner.call("GET", "/v1/admin/organizations/" + a, null).status())
                .as("while A's own organization answers").isEqualTo(200);
    }

    @Test
    void anotherOrganizationLooksExactlyLikeOneThatDoesNotExist() {
        Admin aKey = new Admin(server, platform.key(a, "admin", ""));
        Admin.Reply foreign = aKey.call("GET", "/v1/admin/organizations/" + b + "/api_keys", null);
        Admin.Reply missing = aKey.call("GET", "/v1/admin/organizations/org_doesnotexist/api_keys", null);
        assertThat(foreign.status()).isEqualTo(missing.status()).isEqualTo(404);
        assertThat(foreign.body().path("error").path("message").asString().replace(b, "X"))
                .isEqualTo(missing.body().path("error").path("message").asString().replace("org_doesnotexist", "X"));
    }

    private static void check(List<String> leaks, String who, String method, String path, int status) {
        if (status != 403 && status != 404) {
            leaks.add(who + ": " + method + " " + path + " answered " + status);
        }
    }
}
