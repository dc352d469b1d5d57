package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.billing.Gems;
import dev.tandem.billing.LedgerCheck;
import dev.tandem.store.StoreFixture.Buyer;
import dev.tandem.support.Browser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Purchases that move gems, end to end through the HTTP endpoints of a real server: credited once per store
 * transaction, replays refused and audited, refunds taken back once however often they are delivered, and
 * purchases blocked while a refund leaves someone in debt. Subclassed per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PurchasesContract {

    StoreFixture store;

    abstract String database();

    @BeforeAll
    void start() throws Exception {
        store = StoreFixture.start(database(), Map.of());
    }

    @AfterAll
    void stop() {
        if (store != null) {
            store.close();
        }
    }

    Browser.Reply submitApple(Buyer buyer, String jws) {
        return buyer.browser().call("POST", "/store/apple/transactions", "{\"signed_transaction\":\"" + jws + "\"}");
    }

    @Test
    void anAppStoreTransactionIsCreditedOnceAndItsReplayIsRefusedAndAudited() {
        Buyer pat = store.signUp(30);
        String token = store.accountToken(pat, "gems-300", "apple");
        String tx = StoreFixture.nextId();
        String jws = StoreFixture.sign(StoreFixture.appleTransaction(tx, "dev.tandem.gems.300", token));

        Browser.Reply first = submitApple(pat, jws);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("gems").asLong()).isEqualTo(300);
        assertThat(first.json().path("balance").path("paid").asLong()).isEqualTo(300);

        Browser.Reply again = submitApple(pat, jws);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").path("message").asString()).contains("credited before");
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(300);
        assertThat(store.audit("REPLAYED")).anySatisfy(row -> {
            assertThat(row.get("outcome")).isEqualTo("replayed");
            assertThat(row.get("transaction_id")).isEqualTo(tx);
            assertThat(row.get("person_id")).isEqualTo(pat.personId());
        });
        // someone else submitting the same receipt gets nothing either
        Buyer other = store.signUp(30);
        assertThat(submitApple(other, jws).status()).isIn(403, 409);
        assertThat(store.gems().balance(other.personId()).paid()).isZero();
        assertThat(store.server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    /** 300 gems bought in the App Store, 200 of them spent: the transaction as Apple signed it. */
    Map<String, Object> boughtAndSpent(Buyer pat) {
        String token = store.accountToken(pat, "gems-300", "apple");
        String tx = StoreFixture.nextId();
        Map<String, Object> bought = StoreFixture.appleTransaction(tx, "dev.tandem.gems.300", token);
        assertThat(submitApple(pat, StoreFixture.sign(bought)).status()).isEqualTo(200);
        store.gems().spend(pat.personId(), 200, "draw", "test-draw:" + tx, "", "spent before the refund");
        return bought;
    }

    /** The transaction as Apple sends it once refunded. */
    static Map<String, Object> refunded(Map<String, Object> bought, long at) {
        Map<String, Object> refunded = new java.util.LinkedHashMap<>(bought);
        refunded.put("revocationDate", at);
        refunded.put("revocationReason", 0);
        refunded.put("revocationType", "REFUND_FULL");
        return refunded;
    }

    @Test
    void aRefundNotificationTakesTheGemsBackOnceAndTheDebtBlocksPurchases() {
        Buyer pat = store.signUp(30);
        Map<String, Object> refunded = refunded(boughtAndSpent(pat), System.currentTimeMillis() - 5_000);
        String uuid = java.util.UUID.randomUUID().toString();
        String notification = StoreFixture.appleNotification(uuid, "REFUND", null, refunded, null);

        Browser.Reply first = store.postAppleNotification(notification);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(-200);

        Browser.Reply redelivered = store.postAppleNotification(notification);
        assertThat(redelivered.status()).isEqualTo(200);
        assertThat(redelivered.body()).contains("already processed");
        Browser.Reply another = store.postAppleNotification(StoreFixture.appleNotification(
                java.util.UUID.randomUUID().toString(), "REFUND", null, refunded, null));
        assertThat(another.status()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).as("taken back once").isEqualTo(-200);
        assertThat(store.audit("REPLAYED")).anySatisfy(row -> assertThat(row.get("notification_id"))
                .isEqualTo(uuid));

        Browser.Reply intent = pat.browser().call("POST", "/store/intents",
                "{\"product\":\"gems-60\",\"store\":\"apple\"}");
        assertThat(intent.status()).isEqualTo(403);
        assertThat(intent.json().path("error").path("message").asString())
                .contains("paid gems stand at -200", "Purchases are blocked");
        Browser.Reply web = pat.browser().post("/shop/checkout", Map.of("product", "gems-60"));
        assertThat(web.status()).isEqualTo(403);
        assertThat(web.body()).contains("Purchases are blocked");
        assertThat(store.audit("IN_DEBT")).anySatisfy(row -> assertThat(row.get("person_id"))
                .isEqualTo(pat.personId()));
        assertThat(pat.browser().get("/purchases").ok().body()).contains("refund: taken back");
        assertThat(store.server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    @Test
    void aReversedRefundGivesTheGemsBackOnceAndLiftsTheBlock() {
        Buyer pat = store.signUp(30);
        Map<String, Object> bought = boughtAndSpent(pat);
        assertThat(store.postAppleNotification(StoreFixture.appleNotification(java.util.UUID.randomUUID().toString(),
                "REFUND", null, refunded(bought, System.currentTimeMillis() - 5_000), null)).status()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(-200);

        // Apple sends the transaction as it stands after the reversal: no revocation any more
        String reversal = StoreFixture.appleNotification(java.util.UUID.randomUUID().toString(), "REFUND_REVERSED",
                null, bought, null);
        Browser.Reply first = store.postAppleNotification(reversal);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).as("the 300 back, paying the debt").isEqualTo(100);
        assertThat(store.postAppleNotification(reversal).status()).isEqualTo(200);
        assertThat(store.postAppleNotification(StoreFixture.appleNotification(java.util.UUID.randomUUID().toString(),
                "REFUND_REVERSED", null, bought, null)).status()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).as("given back once").isEqualTo(100);
        assertThat(store.gems().history(pat.personId(), 1)).extracting(Gems.Entry::kind).containsExactly("reinstated");
        assertThat(pat.browser().call("POST", "/store/intents", "{\"product\":\"gems-60\",\"store\":\"apple\"}")
                .status()).as("no longer in debt: buying again is allowed").isEqualTo(200);

        // refunded again later: taken back again
        assertThat(store.postAppleNotification(StoreFixture.appleNotification(java.util.UUID.randomUUID().toString(),
                "REFUND", null, refunded(bought, System.currentTimeMillis()), null)).status()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(-200);

        Browser.Reply unknown = store.postAppleNotification(StoreFixture.appleNotification(
                java.util.UUID.randomUUID().toString(), "REFUND_REVERSED", null,
                StoreFixture.appleTransaction(StoreFixture.nextId(), "dev.tandem.gems.300",
                        (String) bought.get("appAccountToken")), null));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(store.audit("REINSTATED_UNKNOWN")).isNotEmpty();
        assertThat(store.server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    @Test
    void aWonDisputeGivesTheGemsBackAndALostOneChangesNothing() {
        Buyer pat = store.signUp(30);
        String[] intents = {"pi_" + StoreFixture.nextId(), "pi_" + StoreFixture.nextId()};
        for (String intent : intents) {
            assertThat(store.postStripe(StoreFixture.stripeEvent("evt_" + intent, "checkout.session.completed",
                    StoreFixture.paidPackSession(pat.personId(), "gems-300", intent))).status()).isEqualTo(200);
            assertThat(store.postStripe(StoreFixture.stripeEvent("evt_dispute_" + intent, "charge.dispute.created", """
                    {"id":"dp_%s","object":"dispute","amount":3000,"charge":"ch_%s","payment_intent":"%s",
                     "reason":"fraudulent","status":"needs_response"}""".formatted(intent, intent, intent)))
                    .status()).isEqualTo(200);
        }
        assertThat(store.gems().balance(pat.personId()).paid()).isZero();
        String won = StoreFixture.stripeEvent("evt_won_" + intents[0], "charge.dispute.closed", """
                {"id":"dp_%s","object":"dispute","amount":3000,"charge":"ch_%s","payment_intent":"%s",
                 "reason":"fraudulent","status":"won"}""".formatted(intents[0], intents[0], intents[0]));
        assertThat(store.postStripe(won).status()).isEqualTo(200);
        assertThat(store.postStripe(won).body()).contains("already processed");
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_lost_" + intents[1], "charge.dispute.closed", """
                {"id":"dp_%s","object":"dispute","amount":3000,"charge":"ch_%s","payment_intent":"%s",
                 "reason":"fraudulent","status":"lost"}""".formatted(intents[1], intents[1], intents[1])))
                .status()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).as("the won dispute's 300 only").isEqualTo(300);
        assertThat(store.server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    @Test
    void stripeCheckoutGoesThroughTheMockAndASignedWebhookCreditsOnce() {
        Buyer pat = store.signUp(30);
        Browser.Reply checkout = pat.browser().post("/shop/checkout", Map.of("product", "gems-300"));
        assertThat(checkout.status()).as(checkout.body()).isEqualTo(302);
        assertThat(checkout.header("location")).startsWith("https://checkout.stripe.com/c/pay/cs_test_");
        FakeStripe.Received sent = store.stripe.received.getLast();
        assertThat(sent.authorization()).isEqualTo("Bearer sk_test_51TandemLocal0123456789");
        assertThat(sent.idempotencyKey()).startsWith("chk_");
        assertThat(sent.form()).containsEntry("mode", "payment").containsEntry("line_items[0][price]",
                "price_gems300").containsEntry("client_reference_id", pat.personId())
                .containsEntry("metadata[tandem_product]", "gems-300");
        assertThat(sent.form().get("success_url")).endsWith("/shop/done?session={CHECKOUT_SESSION_ID}");

        String intent = "pi_" + StoreFixture.nextId();
        String event = StoreFixture.stripeEvent("evt_" + intent, "checkout.session.completed",
                StoreFixture.paidPackSession(pat.personId(), "gems-300", intent));
        assertThat(store.postStripe(event).status()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(300);

        Browser.Reply replayed = store.postStripe(event);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.body()).contains("already processed");
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(300);
        assertThat(store.audit("REPLAYED")).anySatisfy(row -> assertThat(row.get("notification_id"))
                .isEqualTo("evt_" + intent));

        String refund = StoreFixture.stripeEvent("evt_refund_" + intent, "charge.refunded", """
                {"id":"ch_%s","object":"charge","amount":3000,"amount_refunded":3000,"currency":"cny",
                 "payment_intent":"%s","refunded":true}""".formatted(intent, intent));
        assertThat(store.postStripe(refund).status()).isEqualTo(200);
        String dispute = StoreFixture.stripeEvent("evt_dispute_" + intent, "charge.dispute.created", """
                {"id":"dp_%s","object":"dispute","amount":3000,"charge":"ch_%s","payment_intent":"%s",
                 "reason":"fraudulent","status":"needs_response"}""".formatted(intent, intent, intent));
        assertThat(store.postStripe(dispute).status()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).as("refund and dispute take back once").isZero();
        assertThat(store.server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    @Test
    void aGooglePlayPurchaseIsVerifiedCreditedConsumedAndAVoidedOneTakenBackOnce() {
        Buyer pat = store.signUp(30);
        String token = store.accountToken(pat, "gems-60", "google_play");
        String purchaseToken = "play-token-" + StoreFixture.nextId();
        String order = "GPA.3345-6789-0123-" + StoreFixture.nextId();
        store.play.purchases.put("products/gems_60/" + purchaseToken, StoreFixture.googleProductPurchase(order, token));

        Browser.Reply credited = pat.browser().call("POST", "/store/google/purchases",
                "{\"product_id\":\"gems_60\",\"purchase_token\":\"" + purchaseToken + "\"}");
        assertThat(credited.status()).as(credited.body()).isEqualTo(200);
        assertThat(credited.json().path("transaction_id").asString()).isEqualTo(order);
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(60);
        assertThat(store.play.calls).contains("POST /androidpublisher/v3/applications/" + FakeGooglePlay.PACKAGE
                + "/purchases/products/gems_60/tokens/" + purchaseToken + ":consume");
        assertThat(pat.browser().call("POST", "/store/google/purchases", "{\"product_id\":\"gems_60\","
                + "\"purchase_token\":\"" + purchaseToken + "\"}").status()).isEqualTo(409);

        String voided = StoreFixture.googlePush("msg-" + order, "voidedPurchaseNotification", """
                {"purchaseToken":"%s","orderId":"%s","productType":2,"refundType":1}"""
                .formatted(purchaseToken, order));
        assertThat(store.postGooglePush(voided, StoreFixture.PUSH_SECRET).status()).isEqualTo(200);
        assertThat(store.postGooglePush(voided, StoreFixture.PUSH_SECRET).body()).contains("already processed");
        assertThat(store.gems().balance(pat.personId()).paid()).isZero();
        assertThat(store.server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    @Test
    void parallelSubmissionsAndDeliveriesOfOnePurchaseCreditItOnce() throws Exception {
        Buyer pat = store.signUp(30);
        String token = store.accountToken(pat, "gems-300", "apple");
        String tx = StoreFixture.nextId();
        String jws = StoreFixture.sign(StoreFixture.appleTransaction(tx, "dev.tandem.gems.300", token));
        String intent = "pi_" + StoreFixture.nextId();
        String event = StoreFixture.stripeEvent("evt_" + intent, "checkout.session.completed",
                StoreFixture.paidPackSession(pat.personId(), "gems-60", intent));
        List<Future<Integer>> submissions = new ArrayList<>();
        List<Future<Integer>> deliveries = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                submissions.add(pool.submit(() -> submitApple(pat, jws).status()));
                deliveries.add(pool.submit(() -> store.postStripe(event).status()));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : submissions) {
            statuses.add(f.get());
        }
        assertThat(statuses).containsOnly(200, 409).filteredOn(s -> s == 200).hasSize(1);
        for (Future<Integer> f : deliveries) {
            assertThat(f.get()).isEqualTo(200);
        }
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(360);
        assertThat(store.server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    @Test
    void aGooglePurchaseNotifiedBeforeTheAppSubmitsItIsCreditedOnceAndAnotherAccountsIsNotConsumed() {
        Buyer pat = store.signUp(30);
        String token = store.accountToken(pat, "gems-60", "google_play");
        String purchaseToken = "play-token-" + StoreFixture.nextId();
        String order = "GPA.1111-" + StoreFixture.nextId();
        store.play.purchases.put("products/gems_60/" + purchaseToken, StoreFixture.googleProductPurchase(order, token));
        String push = StoreFixture.googlePush("msg-" + order, "oneTimeProductNotification", """
                {"version":"1.0","notificationType":1,"purchaseToken":"%s","sku":"gems_60"}""".formatted(purchaseToken));

        assertThat(store.postGooglePush(push, StoreFixture.PUSH_SECRET).status()).isEqualTo(200);
        assertThat(store.gems().balance(pat.personId()).paid()).as("credited from the notification").isEqualTo(60);
        String consume = "POST /androidpublisher/v3/applications/" + FakeGooglePlay.PACKAGE + "/purchases/products/"
                + "gems_60/tokens/" + purchaseToken + ":consume";
        assertThat(store.play.calls).contains(consume);
        assertThat(pat.browser().call("POST", "/store/google/purchases", "{\"product_id\":\"gems_60\","
                + "\"purchase_token\":\"" + purchaseToken + "\"}").status()).isEqualTo(409);
        assertThat(store.gems().balance(pat.personId()).paid()).isEqualTo(60);

        Buyer other = store.signUp(30);
        String theirs = "play-token-" + StoreFixture.nextId();
        store.play.purchases.put("products/gems_60/" + theirs, StoreFixture.googleProductPurchase(
                "GPA.2222-" + StoreFixture.nextId(), store.accountToken(other, "gems-60", "google_play")));
        assertThat(pat.browser().call("POST", "/store/google/purchases", "{\"product_id\":\"gems_60\","
                + "\"purchase_token\":\"" + theirs + "\"}").status()).isEqualTo(403);
        assertThat(store.play.calls).noneMatch(call -> call.contains(theirs + ":consume"));
    }
}
