package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.store.StoreFixture.Buyer;
import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Everything a store endpoint must refuse, as a table: what is sent, the status the caller (or the store) gets, and
 * the audit row the refusal leaves. Nothing is credited by any of them.
 */
class StoreRejectionsTest {

    static StoreFixture store;
    static Buyer pat;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        store = StoreFixture.start("sqlite", Map.of());
        pat = store.signUp(30);
        token = store.accountToken(pat, "gems-300", "apple");
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
    }

    static Browser.Reply apple(String jws) {
        return pat.browser().call("POST", "/store/apple/transactions", "{\"signed_transaction\":\"" + jws + "\"}");
    }

    static Map<String, Object> pack() {
        return StoreFixture.appleTransaction(StoreFixture.nextId(), "dev.tandem.gems.300", token);
    }

    static Map<String, Object> with(Map<String, Object> map, String field, Object value) {
        return AppleVerifierTest.with(map, field, value);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a JWS signed by a chain to another root (forged)", (Sender) () ->
                        apple(AppleVerifierTest.OTHER.sign(AppleVerifierTest.json(pack()))),
                        400, "UNTRUSTED_CERTIFICATE"),
                Arguments.of("a JWS whose payload was edited after signing", (Sender) () -> {
                    String[] real = StoreFixture.sign(pack()).split("\\.");
                    String[] edited = StoreFixture.sign(with(pack(), "quantity", 50)).split("\\.");
                    return apple(real[0] + "." + edited[1] + "." + real[2]);
                }, 400, "BAD_SIGNATURE"),
                Arguments.of("a transaction of another app (wrong bundle id)", (Sender) () ->
                        apple(StoreFixture.sign(with(pack(), "bundleId", "com.example.other"))), 400, "WRONG_APP"),
                Arguments.of("a sandbox transaction where only production is accepted", (Sender) () ->
                        apple(StoreFixture.sign(with(pack(), "environment", "Sandbox"))), 400, "WRONG_ENVIRONMENT"),
                Arguments.of("a transaction bought for another account", (Sender) () ->
                        apple(StoreFixture.sign(with(pack(), "appAccountToken", UUID.randomUUID().toString()))),
                        403, "NOT_YOURS"),
                Arguments.of("a product this shop does not sell", (Sender) () ->
                        apple(StoreFixture.sign(with(pack(), "productId", "dev.tandem.gems.999999"))), 404,
                        "UNKNOWN_PRODUCT"),
                Arguments.of("an App Store notification signed by another root", (Sender) () ->
                        store.postAppleNotification("{\"signedPayload\":\"" + AppleVerifierTest.OTHER.sign(
                                "{\"notificationType\":\"TEST\",\"notificationUUID\":\"" + UUID.randomUUID()
                                        + "\",\"signedDate\":" + System.currentTimeMillis() + "}") + "\"}"),
                        400, "UNTRUSTED_CERTIFICATE"),
                Arguments.of("an App Store notification for another app", (Sender) () -> {
                    String body = StoreFixture.appleNotification(UUID.randomUUID().toString(), "REFUND", null,
                            with(pack(), "bundleId", "com.example.other"), null);
                    return store.postAppleNotification(body);
                }, 400, "WRONG_APP"),
                Arguments.of("a Stripe webhook with a bad signature", (Sender) () -> {
                    String event = StoreFixture.stripeEvent("evt_forged_" + StoreFixture.nextId(),
                            "checkout.session.completed", StoreFixture.paidPackSession(pat.personId(), "gems-300",
                                    "pi_forged_" + StoreFixture.nextId()));
                    return store.postStripe(event, StoreFixture.stripeSignature(event, "whsec_guessed",
                            Instant.now().getEpochSecond()));
                }, 400, "BAD_SIGNATURE"),
                Arguments.of("a Stripe webhook captured and replayed ten minutes later", (Sender) () -> {
                    String event = StoreFixture.stripeEvent("evt_old_" + StoreFixture.nextId(),
                            "checkout.session.completed", StoreFixture.paidPackSession(pat.personId(), "gems-300",
                                    "pi_old_" + StoreFixture.nextId()));
                    return store.postStripe(event, StoreFixture.stripeSignature(event, StoreFixture.WEBHOOK_SECRET,
                            Instant.now().getEpochSecond() - 600));
                }, 400, "STALE"),
                Arguments.of("a Google push without the secret in its URL", (Sender) () ->
                        store.postGooglePush(StoreFixture.googlePush("m-" + StoreFixture.nextId(),
                                "testNotification", "{\"version\":\"1.0\"}"), null), 403, "BAD_SIGNATURE"),
                Arguments.of("a Google push with a wrong secret", (Sender) () ->
                        store.postGooglePush(StoreFixture.googlePush("m-" + StoreFixture.nextId(),
                                "testNotification", "{\"version\":\"1.0\"}"), "guessed-secret-guessed-secret-0123"),
                        403, "BAD_SIGNATURE"),
                Arguments.of("a Google purchase token Google does not know", (Sender) () ->
                        pat.browser().call("POST", "/store/google/purchases",
                                "{\"product_id\":\"gems_300\",\"purchase_token\":\"made-up-token\"}"), 409,
                        "NOT_PURCHASED"));
    }

    @FunctionalInterface
    interface Sender {
        Browser.Reply send();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void isRefusedWithAClearErrorAndAudited(String what, Sender sender, int status, String reason) {
        int before = store.audit(reason).size();
        long gems = store.gems().balance(pat.personId()).paid();

        Browser.Reply reply = sender.send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().path("error").path("message").asString()).as(reply.body()).isNotBlank();
        assertThat(store.audit(reason)).as("an audit row with reason " + reason).hasSize(before + 1)
                .last().satisfies(row -> {
                    assertThat(row.get("outcome")).isEqualTo("refused");
                    assertThat((String) row.get("detail")).isNotBlank();
                });
        assertThat(store.gems().balance(pat.personId()).paid()).as("nothing credited").isEqualTo(gems);
    }

    @Test
    void thePlatformAdminReadsTheAuditLogFilteredAndPaged() {
        for (int i = 0; i < 3; i++) {
            assertThat(apple(AppleVerifierTest.OTHER.sign(AppleVerifierTest.json(pack()))).status()).isEqualTo(400);
        }
        Admin admin = new Admin(store.server);
        JsonNode page = admin.call("GET", "/v1/admin/store/audit?store=apple&reason=UNTRUSTED_CERTIFICATE&limit=2",
                null).ok();
        assertThat(page.path("data")).hasSize(2);
        assertThat(page.path("has_more").asBoolean()).isTrue();
        JsonNode first = page.path("data").get(0);
        assertThat(first.path("outcome").asString()).isEqualTo("refused");
        assertThat(first.path("store").asString()).isEqualTo("apple");
        assertThat(first.path("person_id").asString()).isEqualTo(pat.personId());
        assertThat(first.path("detail").asString()).isNotBlank();
        JsonNode next = admin.call("GET", "/v1/admin/store/audit?store=apple&reason=UNTRUSTED_CERTIFICATE&limit=2"
                + "&after=" + page.path("data").get(1).path("id").asString(), null).ok();
        assertThat(next.path("data")).isNotEmpty();
        assertThat(next.path("data").get(0).path("id").asString()).isNotIn(first.path("id").asString(),
                page.path("data").get(1).path("id").asString());
        assertThat(admin.call("GET", "/v1/admin/store/audit?outcome=unmatched&person_id=" + pat.personId(), null)
                .ok().path("data")).allSatisfy(e -> assertThat(e.path("outcome").asString()).isEqualTo("unmatched"));

        Admin.Reply bad = admin.call("GET", "/v1/admin/store/audit?outcome=lost", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").path("message").asString()).contains("outcome: one of flagged, refused");
        assertThat(admin.call("GET", "/v1/admin/store/audit?limit=500", null).status()).isEqualTo(400);
        assertThat(admin.call("GET", "/v1/admin/store/audit?store=paypal", null).status()).isEqualTo(400);
        String org = admin.prepaidOrganization("not-the-owner");
        Admin.Reply other = new Admin(store.server, admin.key(org, "admin", "")).call("GET", "/v1/admin/store/audit",
                null);
        assertThat(other.status()).as("an organization's admin is not the platform's").isEqualTo(403);
    }

    @Test
    void anAppRequestWithoutTheSessionsCsrfTokenIsRefused() {
        Browser.Reply reply = pat.browser().send("POST", "/store/apple/transactions",
                "{\"signed_transaction\":\"x.y.z\"}", Map.of());
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("error").path("message").asString()).contains("CSRF");
        assertThat(new Browser(store.server).call("POST", "/store/intents", "{\"product\":\"gems-60\","
                + "\"store\":\"apple\"}").status()).isEqualTo(401);
    }

    @Test
    void aMalformedRequestNamesTheFieldAtFault() {
        Browser.Reply reply = pat.browser().call("POST", "/store/intents", "{\"product\":\"gems-60\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("message").asString()).contains("'store' is required");
        Browser.Reply unknown = pat.browser().call("POST", "/store/intents", "{\"product\":\"gems-60\","
                + "\"store\":\"amazon\"}");
        assertThat(unknown.json().path("error").path("message").asString())
                .contains("'store' must be apple, google_play or stripe");
    }
}
