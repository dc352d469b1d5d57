package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.TandemServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The console's pages over real HTTP, as a browser without JavaScript uses them: sign-in, the organization list
 * with balances, keys (secret shown once, limits, rotate, revoke), members, usage; CSRF and Origin refusals for
 * forms; other organizations invisible; and names with markup shown as text, never run.
 */
class ConsolePagesTest {

    static final Pattern SECRET = Pattern.compile("tdm_[A-Za-z0-9]{40}");
    static final String EVIL = "<script>alert(1)</script>";

    static TandemServer server;
    static Admin admin;
    static String org;
    static Browser owner;

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of());
        admin = new Admin(server);
        org = admin.prepaidOrganization("Pages");
        admin.grant(org, "12.50", "pages-grant");
        Browser.person(admin, org, "owner@pages.test", "owner", "owner password");
        owner = signedIn("owner@pages.test", "owner password");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Signs in through the sign-in form and takes the CSRF token from the start page. */
    static Browser signedIn(String email, String password) {
        Browser b = new Browser(server);
        Browser.Reply r = b.postRaw("/console/sign-in", Map.of("email", email, "password", password),
                Map.of("origin", server.url("")));
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.header("location")).endsWith("/console");
        b.csrfFrom(b.get("/console").ok());
        return b;
    }

    static String keys(String o) {
        return "/console/orgs/" + o + "/keys";
    }

    @Test
    void theSignInFormSignsInAndTheStartPageListsOrganizationsWithBalances() {
        Browser b = new Browser(server);
        Browser.Reply form = b.get("/console/sign-in").ok();
        assertThat(form.body()).contains("<label for=\"email\">").contains("<label for=\"password\">")
                .contains("/webjars/htmx.org/2.0.4/dist/htmx.min.js");
        Browser.Reply wrong = b.postRaw("/console/sign-in", Map.of("email", "owner@pages.test", "password", "nope"),
                Map.of());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("Incorrect email or password.").contains("value=\"owner@pages.test\"");

        Browser.Reply home = owner.get("/console").ok();
        assertThat(home.body()).contains("Pages").contains("12.50").contains("owner");
        assertThat(home.header("content-security-policy")).contains("script-src 'self'");
        assertThat(new Browser(server).get("/console").status()).as("signed out: to the sign-in page")
                .isEqualTo(302);
        assertThat(new Browser(server).get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").status()).isEqualTo(200);
        assertThat(new Browser(server).get("/assets/console.css").status()).isEqualTo(200);
    }

    @Test
    void aKeyMadeOnTheKeysPageShowsItsSecretOnceAndWorks() throws Exception {
        Browser.Reply made = owner.post(keys(org), Map.of("name", "ci", "rpm", "60", "spend_limit_daily", "5.00",
                "ip_allow", "127.0.0.1/32", "expires", "2999-12-31"));
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        Matcher m = SECRET.matcher(made.body());
        assertThat(m.find()).isTrue();
        String secret = m.group();
        assertThat(modelsStatus(secret)).as("the shown secret is a working key").isEqualTo(200);

        Browser.Reply list = owner.get(keys(org)).ok();
        assertThat(SECRET.matcher(list.body()).find()).as("never shown again").isFalse();
        JsonNode key = keyNamed("ci");
        assertThat(key.path("rpm").asInt()).isEqualTo(60);
        assertThat(key.path("spend_limit_daily_micros").asLong()).isEqualTo(5_000_000);
        assertThat(key.path("ip_allow").get(0).asString()).isEqualTo("127.0.0.1/32");
        assertThat(list.body()).contains("2999-12-31");

        String id = key.path("id").asString();
        owner.post(keys(org) + "/" + id, Map.of("name", "ci", "rpm", "120", "expires", "", "models", "",
                "ip_allow", "", "spend_limit_daily", "", "spend_limit_monthly", "9.00")).ok();
        assertThat(keyNamed("ci").path("rpm").asInt()).isEqualTo(120);
        assertThat(keyNamed("ci").path("spend_limit_daily").isMissingNode()).isTrue();

        Browser.Reply rotated = owner.post(keys(org) + "/" + id + "/rotate", Map.of()).ok();
        Matcher fresh = SECRET.matcher(rotated.body());
        assertThat(fresh.find()).isTrue();
        assertThat(modelsStatus(secret)).as("the old secret stops at once").isEqualTo(401);
        assertThat(modelsStatus(fresh.group())).isEqualTo(200);

        String newId = keyNamed("ci").path("id").asString();
        owner.post(keys(org) + "/" + newId + "/revoke", Map.of()).ok();
        assertThat(modelsStatus(fresh.group())).isEqualTo(401);
    }

    @Test
    void badKeySettingsAreShownOnThePage() {
        Browser.Reply r = owner.post(keys(org), Map.of("name", "bad", "ip_allow", "not-an-ip"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("ip_allow").contains("role=\"alert\"");
        assertThat(owner.post(keys(org), Map.of("name", "bad", "rpm", "0")).status()).isEqualTo(400);
        assertThat(owner.post(keys(org), Map.of("name", "bad", "models", "no-such-model")).body())
                .contains("there is no model");
    }

    @Test
    void formsWithoutTheCsrfTokenOrFromAnotherSiteAreRefused() {
        int before = admin.call("GET", "/v1/admin/organizations/" + org + "/api_keys", null).ok().path("data").size();
        Browser.Reply missing = owner.postRaw(keys(org), Map.of("name", "forged"), Map.of());
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("CSRF token");
        assertThat(owner.postRaw(keys(org), Map.of("name", "forged", "_csrf", "wrong"), Map.of()).status())
                .isEqualTo(403);
        assertThat(owner.postRaw(keys(org), Map.of("name", "forged", "_csrf", owner.csrf()),
                Map.of("origin", "https://evil.example")).status()).isEqualTo(403);
        assertThat(owner.postRaw("/console/sign-out", Map.of(), Map.of()).status()).isEqualTo(403);
        assertThat(admin.call("GET", "/v1/admin/organizations/" + org + "/api_keys", null).ok().path("data").size())
                .isEqualTo(before);
        assertThat(owner.postRaw(keys(org), Map.of("name", "header token"), Map.of("x-csrf-token", owner.csrf()))
                .status()).as("htmx may send the token as a header").isEqualTo(200);
    }

    @Test
    void namesWithMarkupAreShownAsText() {
        String o = admin.prepaidOrganization(EVIL);
        Browser.person(admin, o, "evil@pages.test", "owner", "evil password");
        String token = admin.call("POST", "/v1/admin/organizations/" + o + "/members",
                "{\"email\":\"second@pages.test\",\"role\":\"admin\"}").ok().path("token").asString();
        admin.call("POST", "/v1/console/invitations/accept", "{\"token\":\"" + token
                + "\",\"name\":\"<img src=x onerror=alert(2)>\",\"password\":\"second password\"}").ok();
        Browser b = signedIn("evil@pages.test", "evil password");
        b.post(keys(o), Map.of("name", "\"><script>alert(3)</script>")).ok();

        for (String page : new String[] {"/console", keys(o), "/console/orgs/" + o + "/members",
                "/console/orgs/" + o + "/usage"}) {
            String html = b.get(page).ok().body();
            assertThat(html).as(page).doesNotContain("<script>alert").doesNotContain("<img src=x")
                    .doesNotContain("\"><script>");
        }
        assertThat(b.get("/console").body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(b.get("/console/orgs/" + o + "/members").body()).contains("&lt;img src=x onerror=alert(2)&gt;");
        assertThat(b.get(keys(o)).body()).contains("&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;");
    }

    @Test
    void theMembersPageInvitesChangesRolesAndKeepsTheLastOwner() {
        String o = admin.prepaidOrganization("Team");
        String ownerId = Browser.person(admin, o, "lead@pages.test", "owner", "lead password");
        Browser lead = signedIn("lead@pages.test", "lead password");
        String members = "/console/orgs/" + o + "/members";

        Browser.Reply invited = lead.post(members, Map.of("email", "new@pages.test", "role", "developer")).ok();
        Matcher link = Pattern.compile("/console/accept\\?token=(tdi_[A-Za-z0-9]+)").matcher(invited.body());
        assertThat(link.find()).isTrue();
        assertThat(lead.get(members).ok().body()).contains("new@pages.test").doesNotContain(link.group(1));

        Browser newcomer = new Browser(server);
        Browser.Reply acceptPage = newcomer.get("/console/accept?token=" + link.group(1)).ok();
        assertThat(acceptPage.body()).contains("Team").contains("developer").contains("<label for=\"name\">");
        Browser.Reply joined = newcomer.postRaw("/console/accept", Map.of("token", link.group(1), "name", "Newcomer",
                "password", "newcomer password"), Map.of("origin", server.url("")));
        assertThat(joined.status()).as(joined.body()).isEqualTo(302);
        assertThat(newcomer.get(keys(o)).status()).as("signed in by accepting").isEqualTo(200);

        String newcomerId = admin.call("GET", "/v1/admin/organizations/" + o + "/members", null).ok().path("data")
                .get(1).path("id").asString();
        assertThat(lead.post(members + "/" + newcomerId + "/role", Map.of("role", "billing")).ok().body())
                .contains("Newcomer is now billing.");
        Browser.Reply last = lead.post(members + "/" + ownerId + "/remove", Map.of());
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.body()).contains("last owner");
    }

    @Test
    void theUsagePageShowsCreditsAndKeyActivityInItsOwnFragment() {
        String html = owner.get("/console/orgs/" + org + "/usage").ok().body();
        assertThat(html).contains("12.50").contains("id=\"usage-chart\"").contains("prepaid");
    }

    @Test
    void rolesAndOrganizationsBoundWhatAPersonSees() {
        Browser.person(admin, org, "viewer@pages.test", "viewer", "viewer password");
        Browser.person(admin, org, "billing@pages.test", "billing", "billing password");
        Browser viewer = signedIn("viewer@pages.test", "viewer password");
        Browser billing = signedIn("billing@pages.test", "billing password");
        assertThat(viewer.get(keys(org)).status()).isEqualTo(200);
        assertThat(viewer.get(keys(org)).body()).doesNotContain("Create a key");
        assertThat(viewer.post(keys(org), Map.of("name", "nope")).status()).isEqualTo(403);
        assertThat(billing.get(keys(org)).status()).isEqualTo(403);
        assertThat(billing.get("/console/orgs/" + org + "/usage").status()).isEqualTo(200);

        String other = admin.prepaidOrganization("Elsewhere");
        Browser.Reply page = owner.get(keys(other));
        assertThat(page.status()).isEqualTo(404);
        assertThat(owner.post(keys(other), Map.of("name", "intruder")).status()).isEqualTo(404);
        assertThat(owner.get("/console/orgs/" + other + "/members").status()).isEqualTo(404);
        assertThat(owner.get("/console").body()).doesNotContain("Elsewhere");
        assertThat(admin.call("GET", "/v1/admin/organizations/" + other + "/api_keys", null).ok().path("data"))
                .isEmpty();
    }

    @Test
    void signingOutEndsTheSession() {
        Browser b = signedIn("owner@pages.test", "owner password");
        Browser.Reply out = b.post("/console/sign-out", Map.of());
        assertThat(out.status()).isEqualTo(302);
        assertThat(b.get("/console").status()).isEqualTo(302);
    }

    private static JsonNode keyNamed(String name) {
        for (JsonNode k : admin.call("GET", "/v1/admin/organizations/" + org + "/api_keys", null).ok().path("data")) {
            if (k.path("name").asString().equals(name) && k.path("revoked_at").isNull()) {
                return k;
            }
        }
        throw new AssertionError("no key " + name);
    }

    private static int modelsStatus(String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url("/v1/models")))
                .header("authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
