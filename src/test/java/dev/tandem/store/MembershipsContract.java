package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.companion.MembershipPerks;
import dev.tandem.store.StoreFixture.Buyer;
import dev.tandem.support.Browser;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Memberships driven by the stores' notifications: bought, renewed (extended), in a grace period (perks kept), on
 * hold and expired (perks gone), with the companion app's perks and the daily gems following. Subclassed per
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MembershipsContract {

    static final MembershipPerks.Perks PLUS = new MembershipPerks.Perks("Tandem Plus", 12, 80, 12, null, true);

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

    MembershipPerks.Perks perks(Buyer buyer) {
        return store.server.context().getBean(MembershipPerks.class).of(buyer.personId());
    }

    Memberships.Membership membership(Buyer buyer) {
        return store.server.context().getBean(Memberships.class).list(buyer.personId()).getFirst();
    }

    static Map<String, Object> renewal(String original, Instant graceEnds) {
        Map<String, Object> renewal = new LinkedHashMap<>();
        renewal.put("originalTransactionId", original);
        renewal.put("autoRenewProductId", "dev.tandem.plus.monthly");
        renewal.put("productId", "dev.tandem.plus.monthly");
        renewal.put("autoRenewStatus", 1);
        renewal.put("isInBillingRetryPeriod", true);
        renewal.put("gracePeriodExpiresDate", graceEnds.toEpochMilli());
        renewal.put("signedDate", Instant.now().toEpochMilli() - 1000);
        renewal.put("environment", "Production");
        return renewal;
    }

    void notify(String type, String subtype, Map<String, Object> tx, Map<String, Object> renewal) {
        Browser.Reply reply = store.postAppleNotification(StoreFixture.appleNotification(UUID.randomUUID().toString(),
                type, subtype, tx, renewal));
        assertThat(reply.status()).as(type + " " + reply.body()).isEqualTo(200);
    }

    @Test
    void appStoreNotificationsRenewGraceHoldAndExpireTheMembershipAndItsPerks() {
        Buyer pat = store.signUp(30);
        assertThat(perks(pat)).isEqualTo(MembershipPerks.Perks.NONE);
        String token = store.accountToken(pat, "plus-monthly", "apple");
        String original = StoreFixture.nextId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> first = StoreFixture.appleSubscription(original, original, token,
                now.plus(Duration.ofDays(30)));
        Browser.Reply bought = pat.browser().call("POST", "/store/apple/transactions",
                "{\"signed_transaction\":\"" + StoreFixture.sign(first) + "\"}");
        assertThat(bought.status()).as(bought.body()).isEqualTo(200);
        assertThat(perks(pat)).isEqualTo(PLUS);
        assertThat(membership(pat).standing()).isEqualTo(Memberships.Standing.ACTIVE);

        Map<String, Object> renewed = StoreFixture.appleSubscription(StoreFixture.nextId(), original, token,
                now.plus(Duration.ofDays(60)));
        notify("DID_RENEW", null, renewed, renewal(original, now));
        assertThat(membership(pat).expiresAt()).as("extended").isEqualTo(now.plus(Duration.ofDays(60)));
        assertThat(store.server.context().getBean(Purchases.class).history(pat.personId(), 10)).hasSize(2);

        notify("DID_FAIL_TO_RENEW", "GRACE_PERIOD", renewed, renewal(original, now.plus(Duration.ofDays(5))));
        assertThat(membership(pat).standing()).isEqualTo(Memberships.Standing.GRACE);
        assertThat(membership(pat).graceEndsAt()).isEqualTo(now.plus(Duration.ofDays(5)));
        assertThat(perks(pat)).as("perks kept in grace").isEqualTo(PLUS);
        assertThat(pat.browser().get("/membership").ok().body()).contains("payment failed; perks kept until");

        notify("GRACE_PERIOD_EXPIRED", null, renewed, renewal(original, now));
        assertThat(membership(pat).standing()).isEqualTo(Memberships.Standing.ON_HOLD);
        assertThat(perks(pat)).as("no perks on hold").isEqualTo(MembershipPerks.Perks.NONE);

        notify("DID_RENEW", "BILLING_RECOVERY", StoreFixture.appleSubscription(StoreFixture.nextId(), original, token,
                now.plus(Duration.ofDays(90))), renewal(original, now));
        assertThat(perks(pat)).as("recovered").isEqualTo(PLUS);

        Map<String, Object> refunded = new java.util.LinkedHashMap<>(renewed);
        refunded.put("revocationDate", System.currentTimeMillis());
        refunded.put("revocationType", "REFUND_FULL");
        notify("REFUND", null, refunded, renewal(original, now));
        assertThat(perks(pat)).as("refunded: no perks").isEqualTo(MembershipPerks.Perks.NONE);
        notify("REFUND_REVERSED", null, renewed, renewal(original, now));
        assertThat(membership(pat).standing()).as("refund reversed: the paid period is back")
                .isEqualTo(Memberships.Standing.ACTIVE);
        assertThat(perks(pat)).isEqualTo(PLUS);

        notify("EXPIRED", "VOLUNTARY", renewed, renewal(original, now));
        assertThat(membership(pat).standing()).isEqualTo(Memberships.Standing.EXPIRED);
        assertThat(perks(pat)).isEqualTo(MembershipPerks.Perks.NONE);
        assertThat(pat.browser().get("/membership").ok().body()).contains("expired", "no membership with perks");
    }

    @Test
    void stripeWebhooksStartRenewGraceAndEndAWebMembership() {
        Buyer pat = store.signUp(30);
        assertThat(pat.browser().post("/shop/checkout", Map.of("product", "plus-monthly")).status()).isEqualTo(302);
        assertThat(store.stripe.received.getLast().form()).containsEntry("mode", "subscription")
                .containsEntry("subscription_data[metadata][tandem_person]", pat.personId());
        String sub = "sub_" + StoreFixture.nextId();
        String session = """
                {"id":"cs_test_%s","object":"checkout.session","mode":"subscription","payment_status":"paid",
                 "status":"complete","client_reference_id":"%s","customer":"cus_1","payment_intent":null,
                 "subscription":"%s","invoice":"in_first_%s","amount_total":3000,"currency":"cny",
                 "metadata":{"tandem_person":"%s","tandem_product":"plus-monthly"}}"""
                .formatted(sub, pat.personId(), sub, sub, pat.personId());
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_s1_" + sub, "checkout.session.completed",
                session)).status()).isEqualTo(200);
        assertThat(perks(pat)).isEqualTo(PLUS);
        Browser.Reply again = pat.browser().call("POST", "/store/intents",
                "{\"product\":\"plus-monthly\",\"store\":\"stripe\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").path("message").asString()).isEqualTo("You have Tandem Plus already.");

        long periodEnd = Instant.now().plus(Duration.ofDays(62)).getEpochSecond();
        String invoice = """
                {"id":"in_2_%s","object":"invoice","billing_reason":"subscription_cycle","status":"paid",
                 "parent":{"type":"subscription_details","subscription_details":{"subscription":"%s",
                   "metadata":{"tandem_person":"%s","tandem_product":"plus-monthly"}}},
                 "status_transitions":{"paid_at":%d},
                 "lines":{"object":"list","data":[{"id":"il_1","period":{"start":%d,"end":%d}}]}}"""
                .formatted(sub, sub, pat.personId(), Instant.now().getEpochSecond(), Instant.now().getEpochSecond(),
                        periodEnd);
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_s2_" + sub, "invoice.paid", invoice)).status())
                .isEqualTo(200);
        assertThat(membership(pat).expiresAt()).isEqualTo(Instant.ofEpochSecond(periodEnd));

        // the current API: the period's payment intent is linked to its invoice, and its refund names only the intent
        String link = """
                {"id":"inpay_%s","object":"invoice_payment","amount_paid":3000,"amount_requested":3000,
                 "currency":"cny","invoice":"in_2_%s","is_default":true,"livemode":false,
                 "payment":{"type":"payment_intent","payment_intent":"pi_2_%s"},"status":"paid"}"""
                .formatted(sub, sub, sub);
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_s2l_" + sub, "invoice_payment.paid", link))
                .status()).isEqualTo(200);
        String refund = """
                {"id":"ch_2_%s","object":"charge","amount":3000,"amount_refunded":3000,"currency":"cny",
                 "payment_intent":"pi_2_%s","refunded":true}""".formatted(sub, sub);
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_s2r_" + sub, "charge.refunded", refund))
                .status()).isEqualTo(200);
        assertThat(membership(pat).standing()).as("the refunded period ends the membership").isEqualTo(
                Memberships.Standing.REVOKED);
        assertThat(perks(pat)).isEqualTo(MembershipPerks.Perks.NONE);
        assertThat(store.audit("REVOKED_UNKNOWN")).noneSatisfy(row -> assertThat(row.get("transaction_id"))
                .isEqualTo("pi_2_" + sub));
        String won = """
                {"id":"dp_%s","object":"dispute","amount":3000,"charge":"ch_2_%s","payment_intent":"pi_2_%s",
                 "status":"won"}""".formatted(sub, sub, sub);
        // a refund is not disputed, but a reversal naming the intent finds the period the same way
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_s2w_" + sub, "charge.dispute.closed", won))
                .status()).isEqualTo(200);
        assertThat(membership(pat).standing()).isEqualTo(Memberships.Standing.ACTIVE);

        String pastDue = """
                {"id":"%s","object":"subscription","status":"past_due","cancel_at_period_end":false,
                 "metadata":{"tandem_person":"%s","tandem_product":"plus-monthly"}}""".formatted(sub, pat.personId());
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_s3_" + sub, "customer.subscription.updated",
                pastDue, "{\"status\":\"active\"}")).status()).isEqualTo(200);
        assertThat(membership(pat).standing()).isEqualTo(Memberships.Standing.GRACE);
        assertThat(perks(pat)).isEqualTo(PLUS);

        String deleted = pastDue.replace("past_due", "canceled");
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_s4_" + sub, "customer.subscription.deleted",
                deleted)).status()).isEqualTo(200);
        assertThat(membership(pat).standing()).isEqualTo(Memberships.Standing.EXPIRED);
        assertThat(perks(pat)).isEqualTo(MembershipPerks.Perks.NONE);
    }

    @Test
    void aGooglePlaySubscriptionIsAcknowledgedAndPutOnHoldByItsNotification() {
        Buyer pat = store.signUp(30);
        String token = store.accountToken(pat, "plus-monthly", "google_play");
        String purchaseToken = "sub-token-" + StoreFixture.nextId();
        String active = subscriptionV2("SUBSCRIPTION_STATE_ACTIVE", "GPA.7777-" + StoreFixture.nextId(), token);
        store.play.purchases.put("subscriptionsv2/" + purchaseToken, active);
        Browser.Reply bought = pat.browser().call("POST", "/store/google/purchases",
                "{\"product_id\":\"plus_monthly\",\"purchase_token\":\"" + purchaseToken + "\"}");
        assertThat(bought.status()).as(bought.body()).isEqualTo(200);
        assertThat(perks(pat)).isEqualTo(PLUS);
        assertThat(store.play.calls).contains("POST /androidpublisher/v3/applications/" + FakeGooglePlay.PACKAGE
                + "/purchases/subscriptions/plus_monthly/tokens/" + purchaseToken + ":acknowledge");

        store.play.purchases.put("subscriptionsv2/" + purchaseToken, active.replace("SUBSCRIPTION_STATE_ACTIVE",
                "SUBSCRIPTION_STATE_ON_HOLD"));
        String push = StoreFixture.googlePush("m-hold-" + purchaseToken, "subscriptionNotification", """
                {"version":"1.0","notificationType":5,"purchaseToken":"%s","subscriptionId":"plus_monthly"}"""
                .formatted(purchaseToken));
        assertThat(store.postGooglePush(push, StoreFixture.PUSH_SECRET).status()).isEqualTo(200);
        assertThat(membership(pat).standing()).isEqualTo(Memberships.Standing.ON_HOLD);
        assertThat(perks(pat)).isEqualTo(MembershipPerks.Perks.NONE);
    }

    @Test
    void aMemberClaimsTheDailyGemsOnceADay() {
        Buyer pat = store.signUp(30);
        Browser.Reply none = pat.browser().post("/membership/daily-gems", Map.of());
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body()).contains("Daily gems are a membership perk");

        String intent = "pi_" + StoreFixture.nextId();
        String sub = "sub_" + intent;
        String session = StoreFixture.paidPackSession(pat.personId(), "plus-monthly", intent)
                .replace("\"mode\":\"payment\"", "\"mode\":\"subscription\"")
                .replace("\"subscription\":null", "\"subscription\":\"" + sub + "\"")
                .replace("\"invoice\":null", "\"invoice\":\"in_" + intent + "\"");
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_" + intent, "checkout.session.completed",
                session)).status()).isEqualTo(200);

        assertThat(pat.browser().post("/membership/daily-gems", Map.of()).ok().body()).contains("Claimed 30 free gems");
        assertThat(pat.browser().post("/membership/daily-gems", Map.of()).ok().body())
                .contains("come back tomorrow (UTC)");
        assertThat(store.gems().balance(pat.personId())).isEqualTo(new dev.tandem.billing.Gems.Balance(0, 30));
    }

    static String subscriptionV2(String state, String orderId, String accountToken) {
        return """
                {"kind":"androidpublisher#subscriptionPurchaseV2","regionCode":"CN",
                 "startTime":"%s","subscriptionState":"%s","latestOrderId":"%s",
                 "acknowledgementState":"ACKNOWLEDGEMENT_STATE_PENDING",
                 "externalAccountIdentifiers":{"obfuscatedExternalAccountId":"%s"},
                 "lineItems":[{"productId":"plus_monthly","expiryTime":"%s","autoRenewingPlan":{"autoRenewEnabled":true},
                   "offerDetails":{"basePlanId":"monthly"},"latestSuccessfulOrderId":"%s"}]}"""
                .formatted(Instant.now().minusSeconds(60), state, orderId, accountToken,
                        Instant.now().plus(Duration.ofDays(30)), orderId);
    }
}
