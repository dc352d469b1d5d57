package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Redemption codes: made in batches and shown once, stored as hashes, redeemed once for one ledger top-up however
 * many callers race for a code on however many nodes, refused clearly when unknown, taken, revoked or expired.
 */
class RedemptionCodesTest {

    static TandemServer server;
    static Admin admin;

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of());
        admin = new Admin(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode batch(Admin as, int count, String amount) {
        return as.call("POST", "/v1/admin/redemption_codes", "{\"count\":" + count + ",\"amount\":\"" + amount
                + "\",\"memo\":\"launch\"}").ok();
    }

    /** An organization and an admin of it. */
    static Admin orgAdmin(TandemServer on, String name) {
        Admin platform = new Admin(on);
        String org = platform.prepaidOrganization(name);
        return new Admin(on, platform.key(org, "admin", ""));
    }

    static Admin.Reply redeem(Admin as, String code) {
        return as.call("POST", "/v1/organization/redeem", "{\"code\":\"" + code + "\"}");
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBatchShowsItsCodesOnceAndKeepsOnlyTheirHashes() throws Exception {
        JsonNode created = admin.call("POST", "/v1/admin/redemption_codes",
                "{\"count\":3,\"amount\":\"5.00\",\"memo\":\"conference\",\"expires_at\":"
                        + (System.currentTimeMillis() / 1000 + 86_400) + "}").ok();

        List<String> codes = new ArrayList<>();
        created.path("codes").forEach(c -> codes.add(c.asString()));
        assertThat(codes).hasSize(3).doesNotHaveDuplicates()
                .allMatch(c -> c.matches("TDM(-[0-9A-HJKMNP-TV-Z]{5}){4}"));
        assertThat(created.path("amount_micros").asLong()).isEqualTo(5_000_000);
        assertThat(created.path("unused").asInt()).isEqualTo(3);
        assertThat(created.path("memo").asString()).isEqualTo("conference");

        String id = created.path("id").asString();
        JsonNode listed = admin.call("GET", "/v1/admin/redemption_codes/" + id, null).ok();
        assertThat(listed.toString()).as("never shown again").doesNotContain(codes.get(0).substring(9));
        List<String> prefixes = new ArrayList<>();
        listed.path("codes").forEach(c -> prefixes.add(c.path("prefix").asString()));
        assertThat(prefixes).containsExactlyInAnyOrderElementsOf(codes.stream().map(c -> c.substring(0, 9)).toList());
        assertThat(admin.call("GET", "/v1/admin/redemption_codes", null).ok().path("data").toString()).contains(id);

        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        List<String> hashes = jdbc.sql("SELECT code_hash FROM redemption_codes WHERE batch_id = :b").param("b", id)
                .query(String.class).list();
        List<String> expected = new ArrayList<>();
        for (String c : codes) {
            expected.add(sha256(c.substring(4).replace("-", "")));
        }
        assertThat(hashes).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aCodeTopsUpOnceThroughTheLedgerAndARetryIsAnsweredTheSame() {
        String code = batch(admin, 1, "7.50").path("codes").get(0).asString();
        Admin buyer = orgAdmin(server, "buyer");

        JsonNode first = redeem(buyer, code.toLowerCase().replace("-", " ")).ok();
        JsonNode again = redeem(buyer, code).ok();

        assertThat(first.path("amount_micros").asLong()).isEqualTo(7_500_000);
        assertThat(first.path("balance_micros").asLong()).isEqualTo(7_500_000);
        assertThat(first.path("replayed").asBoolean()).isFalse();
        assertThat(again.path("replayed").asBoolean()).isTrue();
        assertThat(again.path("balance_micros").asLong()).as("credited once").isEqualTo(7_500_000);
        assertThat(again.path("code_id").asString()).isEqualTo(first.path("code_id").asString());
        String org = first.path("organization_id").asString();
        assertThat(admin.credits(org)[0]).isEqualTo(7_500_000);
        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM ledger_transactions WHERE organization_id = :o AND kind = 'redeem'")
                .param("o", org).query(Long.class).single()).isOne();

        Admin.Reply taken = redeem(orgAdmin(server, "late"), code);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body().path("error").path("message").asString()).contains("already redeemed");
        assertThat(server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    @Test
    void unknownRevokedAndExpiredCodesAreRefusedClearly() {
        JsonNode b = batch(admin, 3, "1.00");
        String batchId = b.path("id").asString();
        List<String> codes = new ArrayList<>();
        b.path("codes").forEach(c -> codes.add(c.asString()));
        Admin someone = orgAdmin(server, "someone");

        Admin.Reply unknown = redeem(someone, "TDM-00000-00000-00000-00000");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").path("param").asString()).isEqualTo("code");
        assertThat(redeem(someone, "hello").status()).isEqualTo(404);

        String firstId = codeIds(batchId).get(codes.get(0).substring(0, 9));
        JsonNode revoked = admin.call("POST", "/v1/admin/redemption_codes/" + batchId + "/revoke",
                "{\"code_ids\":[\"" + firstId + "\"]}").ok();
        assertThat(revoked.path("revoked_now").asInt()).isOne();
        Admin.Reply refused = redeem(someone, codes.get(0));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("error").path("message").asString()).contains("revoked");

        // the batch's expiry passes (moved into the past rather than waited for)
        server.context().getBean(JdbcClient.class).sql("UPDATE redemption_batches SET expires_at = :t WHERE id = :b")
                .param("t", System.currentTimeMillis() - 1000).param("b", batchId).update();
        Admin.Reply expired = redeem(someone, codes.get(1));
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.body().path("error").path("message").asString()).contains("expired");
        assertThat(admin.call("GET", "/v1/admin/redemption_codes/" + batchId, null).ok().path("expired").asInt())
                .isEqualTo(2);

        JsonNode rest = admin.call("POST", "/v1/admin/redemption_codes/" + batchId + "/revoke", "").ok();
        assertThat(rest.path("revoked_now").asInt()).as("the unused ones left").isEqualTo(2);
        assertThat(rest.path("revoked").asInt()).isEqualTo(3);
        assertThat(someone.credits("me")[0]).isZero();
    }

    static Map<String, String> codeIds(String batchId) {
        Map<String, String> ids = new HashMap<>();
        admin.call("GET", "/v1/admin/redemption_codes/" + batchId, null).ok().path("codes")
                .forEach(c -> ids.put(c.path("prefix").asString(), c.path("id").asString()));
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"count\":0,\"amount\":\"1\"}|count|between 1 and 1000",
            "{\"count\":1001,\"amount\":\"1\"}|count|between 1 and 1000",
            "{\"amount\":\"1\"}|count|Field required",
            "{\"count\":1,\"amount\":\"-1\"}|amount|must not be negative",
            "{\"count\":1,\"amount\":\"lots\"}|amount|not an amount of money",
            "{\"count\":1,\"amount\":\"1\",\"expires_at\":1000}|expires_at|in the future",
            "{\"count\":1,\"amount\":\"1\",\"memo\":7}|memo|expected a string",
            "{\"count\":1|~~|not valid JSON"})
    void refusesBadBatches(String body, String param, String message) {
        Admin.Reply r = admin.call("POST", "/v1/admin/redemption_codes", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("error").path("message").asString()).contains(message);
        if (!param.isEmpty()) {
            assertThat(r.body().path("error").path("param").asString()).isEqualTo(param);
        }
    }

    @Test
    void onlyThePlatformAdminMakesCodesAndOnlyAdminsRedeem() {
        Admin orgAdmin = orgAdmin(server, "not-platform");
        assertThat(orgAdmin.call("POST", "/v1/admin/redemption_codes", "{\"count\":1,\"amount\":\"1\"}").status())
                .isEqualTo(403);
        assertThat(orgAdmin.call("GET", "/v1/admin/redemption_codes", null).status()).isEqualTo(403);
        String org = admin.prepaidOrganization("devs");
        Admin developer = new Admin(server, admin.key(org, "developer", ""));
        String code = batch(admin, 1, "1.00").path("codes").get(0).asString();
        assertThat(redeem(developer, code).status()).isEqualTo(403);
        assertThat(admin.call("GET", "/v1/admin/redemption_codes/rcb_nope", null).status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void organizationsRacingForOneCodeCreditItOnce(String database) throws Exception {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        Map<String, String> s = new HashMap<>();
        if (pg != null) {
            s.put("tandem.db.url", pg.url());
        }
        // on PostgreSQL two nodes race, each with its own ledger writer
        try (TandemServer one = TandemServer.start(s); TandemServer two = pg != null ? TandemServer.start(s) : one) {
            String code = batch(new Admin(one), 1, "3.00").path("codes").get(0).asString();
            List<Admin> racers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                racers.add(orgAdmin(i % 2 == 0 ? one : two, "racer-" + i));
            }
            Admin sameOrg = racers.getFirst();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Admin.Reply>> replies = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(24)) {
                for (Admin r : racers) {
                    replies.add(pool.submit(() -> {
                        go.await();
                        return redeem(r, code);
                    }));
                }
                for (int i = 0; i < 8; i++) {
                    replies.add(pool.submit(() -> {
                        go.await();
                        return redeem(sameOrg, code);
                    }));
                }
                go.countDown();
            }
            int fresh = 0;
            int replayed = 0;
            int conflicts = 0;
            for (Future<Admin.Reply> f : replies) {
                Admin.Reply r = f.get();
                if (r.status() == 200) {
                    if (r.body().path("replayed").asBoolean()) {
                        replayed++;
                    } else {
                        fresh++;
                    }
                } else {
                    assertThat(r.status()).as(r.body().toString()).isEqualTo(409);
                    conflicts++;
                }
            }
            assertThat(fresh).as("exactly one redemption").isOne();
            assertThat(fresh + replayed + conflicts).isEqualTo(24);
            JdbcClient jdbc = one.context().getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts WHERE id LIKE 'org:%:credits'")
                    .query(Long.class).single()).as("credited once in all").isEqualTo(3_000_000);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'redeem'").query(Long.class)
                    .single()).isOne();
            assertThat(one.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }
}
