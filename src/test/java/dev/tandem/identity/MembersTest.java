package dev.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.TandemServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * People and memberships through the management API: invitations shown once and stored hashed, accepted once,
 * one person per address whatever its case, Argon2id hashes, and an organization that never loses its last owner.
 */
class MembersTest {

    static TandemServer server;
    static Admin admin;
    static JdbcClient jdbc;

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of());
        admin = new Admin(server);
        jdbc = server.context().getBean(JdbcClient.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String members(String org) {
        return "/v1/admin/organizations/" + org + "/members";
    }

    @Test
    void anInvitationIsShownOnceStoredHashedAndMakesAMember() {
        String org = admin.prepaidOrganization("acme");
        JsonNode invitation = admin.call("POST", members(org), "{\"email\":\"Alice@Example.com\",\"role\":\"owner\"}")
                .ok();
        String token = invitation.path("token").asString();
        assertThat(token).startsWith("tdi_").hasSizeGreaterThan(40);
        assertThat(invitation.path("status").asString()).isEqualTo("pending");
        assertThat(invitation.path("expires_at").asLong() - invitation.path("created_at").asLong())
                .isEqualTo(7 * 24 * 3600);
        JsonNode pending = admin.call("GET", "/v1/admin/organizations/" + org + "/invitations", null).ok();
        assertThat(pending.path("data")).hasSize(1);
        assertThat(pending.toString()).doesNotContain(token);
        assertThat(jdbc.sql("SELECT token_hash FROM invitations").query(String.class).list())
                .noneMatch(h -> h.contains(token));

        JsonNode member = admin.call("POST", "/v1/console/invitations/accept",
                "{\"token\":\"" + token + "\",\"name\":\"Alice\",\"password\":\"correct horse battery\"}").ok();
        assertThat(member.path("email").asString()).isEqualTo("Alice@Example.com");
        assertThat(member.path("role").asString()).isEqualTo("owner");
        assertThat(admin.call("GET", members(org), null).ok().path("data").get(0).path("name").asString())
                .isEqualTo("Alice");
        assertThat(admin.call("GET", "/v1/admin/organizations/" + org + "/invitations", null).ok().path("data"))
                .as("accepted: no longer pending").isEmpty();

        assertThat(admin.call("POST", "/v1/console/invitations/accept",
                "{\"token\":\"" + token + "\",\"name\":\"Mallory\",\"password\":\"another password\"}").status())
                .as("single use").isEqualTo(404);
    }

    @Test
    void passwordsAreArgon2idWithASaltPerHash() {
        String org = admin.prepaidOrganization("hashes");
        Browser.person(admin, org, "h1@example.com", "viewer", "the same password");
        Browser.person(admin, org, "h2@example.com", "viewer", "the same password");
        var hashes = jdbc.sql("SELECT password_hash FROM people WHERE email LIKE 'h_@example.com'")
                .query(String.class).list();
        assertThat(hashes).hasSize(2).allMatch(h -> h.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"))
                .noneMatch(h -> h.contains("the same password"));
        assertThat(hashes.get(0)).isNotEqualTo(hashes.get(1));
    }

    @Test
    void oneAccountPerAddressWhateverItsCase() {
        String first = admin.prepaidOrganization("first");
        String second = admin.prepaidOrganization("second");
        String bob = Browser.person(admin, first, "Bob@Example.org", "developer", "bob's password!");
        String token = admin.call("POST", members(second), "{\"email\":\"bob@EXAMPLE.org\",\"role\":\"viewer\"}").ok()
                .path("token").asString();

        Admin.Reply wrong = admin.call("POST", "/v1/console/invitations/accept",
                "{\"token\":\"" + token + "\",\"password\":\"not bob's password\"}");
        assertThat(wrong.status()).as("an existing account proves itself with its password").isEqualTo(401);
        JsonNode joined = admin.call("POST", "/v1/console/invitations/accept",
                "{\"token\":\"" + token + "\",\"password\":\"bob's password!\"}").ok();
        assertThat(joined.path("id").asString()).isEqualTo(bob);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM people WHERE email_key = 'bob@example.org'").query(Long.class)
                .single()).isEqualTo(1);
        assertThat(admin.call("POST", members(second), "{\"email\":\"BOB@example.org\",\"role\":\"admin\"}").status())
                .as("already a member").isEqualTo(409);
    }

    @Test
    void expiredOrRevokedInvitationsAreRefused() {
        String org = admin.prepaidOrganization("expiry");
        JsonNode expiring = admin.call("POST", members(org), "{\"email\":\"late@example.com\",\"role\":\"viewer\"}").ok();
        jdbc.sql("UPDATE invitations SET expires_at = :t WHERE id = :id").param("t", System.currentTimeMillis() - 1)
                .param("id", expiring.path("id").asString()).update();
        assertThat(admin.call("POST", "/v1/console/invitations/accept", "{\"token\":\""
                + expiring.path("token").asString() + "\",\"name\":\"Late\",\"password\":\"0123456789ab\"}").status())
                .isEqualTo(404);

        JsonNode revoked = admin.call("POST", members(org), "{\"email\":\"gone@example.com\",\"role\":\"viewer\"}").ok();
        admin.call("DELETE", "/v1/admin/organizations/" + org + "/invitations/" + revoked.path("id").asString(), null)
                .ok();
        assertThat(admin.call("POST", "/v1/console/invitations/accept", "{\"token\":\""
                + revoked.path("token").asString() + "\",\"name\":\"Gone\",\"password\":\"0123456789ab\"}").status())
                .isEqualTo(404);

        JsonNode first = admin.call("POST", members(org), "{\"email\":\"twice@example.com\",\"role\":\"viewer\"}").ok();
        admin.call("POST", members(org), "{\"email\":\"twice@example.com\",\"role\":\"admin\"}").ok();
        assertThat(admin.call("POST", "/v1/console/invitations/accept", "{\"token\":\""
                + first.path("token").asString() + "\",\"name\":\"Twice\",\"password\":\"0123456789ab\"}").status())
                .as("a new invitation replaces the old one").isEqualTo(404);
    }

    @Test
    void theLastOwnerCanBeNeitherDemotedNorRemoved() {
        String org = admin.prepaidOrganization("owners");
        String first = Browser.person(admin, org, "o1@example.com", "owner", "owner one password");
        String path = members(org) + "/" + first;

        Admin.Reply demote = admin.call("PATCH", path, "{\"role\":\"admin\"}");
        assertThat(demote.status()).isEqualTo(409);
        assertThat(demote.body().path("error").path("message").asString()).contains("last owner");
        assertThat(admin.call("DELETE", path, null).status()).isEqualTo(409);

        String second = Browser.person(admin, org, "o2@example.com", "owner", "owner two password");
        assertThat(admin.call("PATCH", path, "{\"role\":\"admin\"}").ok().path("role").asString()).isEqualTo("admin");
        assertThat(admin.call("DELETE", members(org) + "/" + second, null).status())
                .as("now the last owner again").isEqualTo(409);
        assertThat(admin.call("DELETE", path, null).ok().path("deleted").asBoolean()).isTrue();
        assertThat(admin.call("GET", path, null).status()).isEqualTo(404);
    }

    @Test
    void onlyOwnersGrantOrTouchTheOwnerRole() {
        String org = admin.prepaidOrganization("ranks");
        String owner = Browser.person(admin, org, "boss@example.com", "owner", "boss password 1");
        String adminPerson = Browser.person(admin, org, "deputy@example.com", "admin", "deputy password");
        String dev = Browser.person(admin, org, "dev@example.com", "developer", "developer password");
        Browser deputy = new Browser(server);
        deputy.signIn("deputy@example.com", "deputy password").ok();

        assertThat(deputy.call("PATCH", members(org) + "/" + dev, "{\"role\":\"owner\"}").status()).isEqualTo(403);
        assertThat(deputy.call("PATCH", members(org) + "/" + owner, "{\"role\":\"viewer\"}").status()).isEqualTo(403);
        assertThat(deputy.call("DELETE", members(org) + "/" + owner, null).status()).isEqualTo(403);
        assertThat(deputy.call("POST", members(org), "{\"email\":\"x@example.com\",\"role\":\"owner\"}").status())
                .isEqualTo(403);
        assertThat(deputy.call("PATCH", members(org) + "/" + dev, "{\"role\":\"billing\"}").ok().json().path("role")
                .asString()).isEqualTo("billing");

        Browser boss = new Browser(server);
        boss.signIn("boss@example.com", "boss password 1").ok();
        assertThat(boss.call("PATCH", members(org) + "/" + adminPerson, "{\"role\":\"owner\"}").ok().json().path("role")
                .asString()).isEqualTo("owner");
    }

    @Test
    void badInputGetsAClearError() {
        String org = admin.prepaidOrganization("input");
        Admin.Reply badEmail = admin.call("POST", members(org), "{\"email\":\"not-an-address\",\"role\":\"viewer\"}");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.body().path("error").path("param").asString()).isEqualTo("email");
        Admin.Reply badRole = admin.call("POST", members(org), "{\"email\":\"a@example.com\",\"role\":\"god\"}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.body().path("error").path("message").asString()).contains("owner, admin, developer");
        assertThat(admin.call("POST", members(org), "{\"email\":").status()).isEqualTo(400);

        String token = admin.call("POST", members(org), "{\"email\":\"short@example.com\",\"role\":\"viewer\"}").ok()
                .path("token").asString();
        Admin.Reply shortPassword = admin.call("POST", "/v1/console/invitations/accept",
                "{\"token\":\"" + token + "\",\"name\":\"S\",\"password\":\"short\"}");
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.body().path("error").path("param").asString()).isEqualTo("password");
        assertThat(admin.call("POST", "/v1/console/invitations/accept",
                "{\"token\":\"" + token + "\",\"name\":\"S\",\"password\":\"long enough now\"}").status())
                .as("a refused attempt does not use the invitation up").isEqualTo(201);
    }
}
