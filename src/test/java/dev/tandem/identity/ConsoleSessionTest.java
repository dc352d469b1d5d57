package dev.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.TandemServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Console sessions over HTTP: a hardened cookie, tokens stored as hashes, idle and absolute limits, sign-out,
 * throttled guessing with one answer for every failure, and CSRF refusals for changes made with the cookie.
 */
class ConsoleSessionTest {

    static TandemServer server;
    static Admin admin;
    static JdbcClient jdbc;
    static String org;
    static String ownerId;

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of("tandem.identity.sign-in-failures-per-address", "25"));
        admin = new Admin(server);
        jdbc = server.context().getBean(JdbcClient.class);
        org = admin.prepaidOrganization("sessions");
        ownerId = Browser.person(admin, org, "owner@sessions.test", "owner", "owner's password");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forgetFailures() {
        jdbc.sql("DELETE FROM sign_in_failures").update();
    }

    @Test
    void signingInSetsAnHttpOnlySameSiteCookieWhoseTokenIsStoredOnlyAsAHash() throws Exception {
        Browser browser = new Browser(server);
        Browser.Reply r = browser.signIn("OWNER@sessions.test", "owner's password").ok();

        String setCookie = r.header("set-cookie");
        assertThat(setCookie).startsWith("tandem_session=").contains("HttpOnly").contains("SameSite=Lax")
                .contains("Path=/").contains("Max-Age=").doesNotContain("Secure");
        String token = browser.sessionCookie();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
        assertThat(jdbc.sql("SELECT token_hash FROM console_sessions WHERE person_id = :p").param("p", ownerId)
                .query(String.class).list()).contains(hash).noneMatch(h -> h.equals(token));

        JsonNode me = browser.call("GET", "/v1/console/session", null).ok().json();
        assertThat(me.path("person").path("email").asString()).isEqualTo("owner@sessions.test");
        assertThat(me.path("csrf_token").asString()).isEqualTo(browser.csrf()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(me.path("organizations").get(0).path("id").asString()).isEqualTo(org);
        assertThat(me.path("organizations").get(0).path("role").asString()).isEqualTo("owner");
        assertThat(me.path("platform_admin").asBoolean()).isFalse();
    }

    @Test
    void theCookieIsSecureOverHttpsOrWhenConfigured() {
        Browser.Reply r = new Browser(server).send("POST", "/v1/console/session",
                "{\"email\":\"owner@sessions.test\",\"password\":\"owner's password\"}",
                Map.of("x-forwarded-proto", "https"));
        assertThat(r.header("set-cookie")).contains("Secure");
        try (TandemServer secure = TandemServer.start(Map.of("tandem.console.secure-cookies", "true"))) {
            Admin other = new Admin(secure);
            String o = other.prepaidOrganization("secure");
            Browser.person(other, o, "s@secure.test", "viewer", "secure password");
            assertThat(new Browser(secure).signIn("s@secure.test", "secure password").ok().header("set-cookie"))
                    .contains("Secure");
        }
    }

    @Test
    void anUnknownAddressAndAWrongPasswordGetTheSameAnswer() {
        Browser.Reply unknown = new Browser(server).signIn("nobody@sessions.test", "owner's password");
        Browser.Reply wrong = new Browser(server).signIn("owner@sessions.test", "not the password");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.json().path("error").path("message").asString())
                .isEqualTo(wrong.json().path("error").path("message").asString())
                .isEqualTo("Incorrect email or password.");
        assertThat(unknown.header("set-cookie")).isNull();
    }

    @Test
    void tenFailuresForAnAddressRefuseEvenTheRightPasswordForAWhile() {
        Browser browser = new Browser(server);
        for (int i = 0; i < 10; i++) {
            assertThat(browser.signIn("owner@sessions.test", "guess " + i).status()).isEqualTo(401);
        }
        Browser.Reply refused = browser.signIn("owner@sessions.test", "owner's password");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("retry-after"))).isBetween(1L, 15 * 60L);
        assertThat(refused.json().path("error").path("message").asString()).contains("Too many failed sign-ins");

        jdbc.sql("UPDATE sign_in_failures SET failed_at = failed_at - :window").param("window", 15 * 60_000 + 1)
                .update();
        assertThat(browser.signIn("owner@sessions.test", "owner's password").status())
                .as("free again once the failures leave the window").isEqualTo(200);
    }

    @Test
    void manyFailuresFromOneClientRefuseEveryAddressFromIt() {
        for (int i = 0; i < 25; i++) {
            assertThat(new Browser(server).signIn("user" + (i % 5) + "@sessions.test", "guess").status())
                    .isEqualTo(401);
        }
        assertThat(new Browser(server).signIn("owner@sessions.test", "owner's password").status()).isEqualTo(429);
    }

    @Test
    void signingOutEndsTheSessionEverywhere() {
        Browser browser = new Browser(server);
        browser.signIn("owner@sessions.test", "owner's password").ok();
        String token = browser.sessionCookie();
        Browser.Reply out = browser.call("DELETE", "/v1/console/session", null);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("set-cookie")).contains("Max-Age=0");

        Browser replay = new Browser(server);
        Browser.Reply r = replay.send("GET", "/v1/console/session", null, Map.of("cookie", "tandem_session=" + token));
        assertThat(r.status()).as("the old token is dead on the server, not only in the browser").isEqualTo(401);
    }

    @Test
    void aSessionEndsWhenIdleTooLongOrTooOld() {
        Browser idle = new Browser(server);
        idle.signIn("owner@sessions.test", "owner's password").ok();
        jdbc.sql("UPDATE console_sessions SET last_seen_at = last_seen_at - :idle WHERE token_hash = :h")
                .param("idle", 8 * 3600_000L + 1).param("h", sha256(idle.sessionCookie())).update();
        assertThat(idle.call("GET", "/v1/console/session", null).status()).isEqualTo(401);

        Browser old = new Browser(server);
        old.signIn("owner@sessions.test", "owner's password").ok();
        assertThat(old.call("GET", "/v1/console/session", null).status()).isEqualTo(200);
        jdbc.sql("UPDATE console_sessions SET expires_at = :now WHERE token_hash = :h")
                .param("now", System.currentTimeMillis()).param("h", sha256(old.sessionCookie())).update();
        Browser.Reply ended = old.call("GET", "/v1/console/session", null);
        assertThat(ended.status()).isEqualTo(401);
        assertThat(ended.json().path("error").path("message").asString()).contains("sign in again");
    }

    @Test
    void changesMadeWithTheCookieNeedTheCsrfTokenAndThisOrigin() {
        Browser browser = new Browser(server);
        browser.signIn("owner@sessions.test", "owner's password").ok();
        String path = "/v1/admin/organizations/" + org;
        String body = "{\"low_balance_threshold\":\"1.00\"}";

        Browser.Reply missing = browser.send("PATCH", path, body, Map.of());
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.json().path("error").path("message").asString()).contains("CSRF token");
        assertThat(browser.send("PATCH", path, body, Map.of("x-csrf-token", "forged")).status()).isEqualTo(403);
        assertThat(browser.send("PATCH", path, body, Map.of("x-csrf-token", browser.csrf(),
                "origin", "https://evil.example")).status()).isEqualTo(403);
        assertThat(browser.send("PATCH", path, body, Map.of("x-csrf-token", browser.csrf(),
                "referer", "https://evil.example/page")).status()).isEqualTo(403);
        assertThat(browser.send("PATCH", path, body, Map.of("x-csrf-token", browser.csrf(), "origin", "null"))
                .status()).isEqualTo(403);
        assertThat(browser.send("DELETE", "/v1/console/session", null, Map.of()).status())
                .as("signing out is a change too").isEqualTo(403);

        assertThat(browser.send("PATCH", path, body, Map.of("x-csrf-token", browser.csrf(),
                "origin", server.url(""))).status()).isEqualTo(200);
        assertThat(browser.send("GET", path, null, Map.of()).status()).as("reads need no token").isEqualTo(200);
        assertThat(admin.call("PATCH", path, body).status()).as("API keys need no token").isEqualTo(200);
        Browser.Reply foreignSignIn = new Browser(server).send("POST", "/v1/console/session",
                "{\"email\":\"owner@sessions.test\",\"password\":\"owner's password\"}",
                Map.of("origin", "https://evil.example"));
        assertThat(foreignSignIn.status()).as("no sign-in from another site").isEqualTo(403);
    }

    @Test
    void changingThePasswordEndsTheOtherSessions() {
        String o = admin.prepaidOrganization("password");
        Browser.person(admin, o, "pw@sessions.test", "viewer", "first password");
        Browser here = new Browser(server);
        Browser elsewhere = new Browser(server);
        here.signIn("pw@sessions.test", "first password").ok();
        elsewhere.signIn("pw@sessions.test", "first password").ok();

        assertThat(here.call("POST", "/v1/console/password",
                "{\"current_password\":\"wrong password\",\"new_password\":\"second password\"}").status())
                .isEqualTo(401);
        assertThat(here.call("POST", "/v1/console/password",
                "{\"current_password\":\"first password\",\"new_password\":\"second password\"}").status())
                .isEqualTo(204);
        assertThat(here.call("GET", "/v1/console/session", null).status()).isEqualTo(200);
        assertThat(elsewhere.call("GET", "/v1/console/session", null).status()).isEqualTo(401);
        assertThat(new Browser(server).signIn("pw@sessions.test", "first password").status()).isEqualTo(401);
        assertThat(new Browser(server).signIn("pw@sessions.test", "second password").status()).isEqualTo(200);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
