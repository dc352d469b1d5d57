package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.store.StoreFixture.Buyer;
import dev.tandem.support.Browser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Spending limits before money moves and when a purchase is verified: China's caps for minors by default, one's own
 * monthly cap, prices in other currencies converted and rounded up. Subclassed per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpendingLimitsContract {

    StoreFixture store;

    abstract String database();

    @BeforeAll
    void start() throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("tandem.companion.minimum-age", "5");
        s.put("tandem.store.limits.exchange-rates.USD", "7.3");
        s.put("tandem.store.products[5].id", "gems-eur");
        s.put("tandem.store.products[5].kind", "consumable");
        s.put("tandem.store.products[5].name", "100 gems (EUR)");
        s.put("tandem.store.products[5].gems", "100");
        s.put("tandem.store.products[5].price", "99");
        s.put("tandem.store.products[5].currency", "EUR");
        s.put("tandem.store.products[5].apple-product-id", "dev.tandem.gems.eur");
        store = StoreFixture.start(database(), s);
    }

    @AfterAll
    void stop() {
        if (store != null) {
            store.close();
        }
    }

    /** A pack paid through Stripe Checkout, delivered by its signed webhook; returns the payment intent. */
    String paid(Buyer buyer, String product) {
        String intent = "pi_" + StoreFixture.nextId();
        Browser.Reply reply = store.postStripe(StoreFixture.stripeEvent("evt_" + intent, "checkout.session.completed",
                StoreFixture.paidPackSession(buyer.personId(), product, intent)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return intent;
    }

    Browser.Reply intent(Buyer buyer, String product) {
        return buyer.browser().call("POST", "/store/intents", "{\"product\":\"" + product + "\",\"store\":\"apple\"}");
    }

    static String message(Browser.Reply reply) {
        return reply.json().path("error").path("message").asString();
    }

    @Test
    void aFifteenYearOldsPurchaseOverTwoHundredYuanAMonthIsRefusedWithAClearMessage() {
        Buyer teen = store.signUp(15);
        for (int i = 0; i < 6; i++) {
            paid(teen, "gems-300");
        }
        String expected = "You are 15: purchases are limited to ¥200 a month; ¥180 spent this month, so ¥20 is left "
                + "and 300 gems costs ¥30.";

        Browser.Reply refused = intent(teen, "gems-300");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(message(refused)).isEqualTo(expected);
        Browser.Reply web = teen.browser().post("/shop/checkout", Map.of("product", "gems-300"));
        assertThat(web.status()).isEqualTo(403);
        assertThat(web.body()).contains(expected);
        assertThat(store.stripe.received).noneMatch(r -> teen.personId().equals(r.form().get("client_reference_id")));
        assertThat(store.audit("OVER_LIMIT")).anySatisfy(row -> {
            assertThat(row.get("outcome")).isEqualTo("refused");
            assertThat(row.get("detail")).isEqualTo(expected);
        });

        assertThat(intent(teen, "gems-60").status()).as("¥6 still fits").isEqualTo(200);
        assertThat(message(intent(teen, "gems-980"))).isEqualTo("You are 15: one purchase is limited to ¥50; 980 gems "
                + "costs ¥98.");
        assertThat(teen.browser().get("/me/limits").ok().body()).contains("¥180 spent this month",
                "purchases are limited to ¥50 each and ¥200 a month", "¥20 left this month");
    }

    @Test
    void aPurchaseThatSlipsPastTheCapIsCreditedFlaggedAndRecorded() {
        Buyer teen = store.signUp(15);
        for (int i = 0; i < 6; i++) {
            paid(teen, "gems-300");
        }
        String slipped = paid(teen, "gems-300");

        assertThat(store.gems().balance(teen.personId()).paid()).as("money moved: credited").isEqualTo(2100);
        assertThat(store.audit("OVER_LIMIT")).anySatisfy(row -> {
            assertThat(row.get("outcome")).isEqualTo("flagged");
            assertThat(row.get("transaction_id")).isEqualTo(slipped);
            assertThat((String) row.get("detail")).contains("You are 15", "credited and recorded");
        });
        assertThat(teen.browser().get("/purchases").ok().body()).contains("over your limit when it was verified");
    }

    @Test
    void aRefundedPurchaseNoLongerCountsAgainstTheMonth() {
        Buyer teen = store.signUp(15);
        String first = paid(teen, "gems-300");
        for (int i = 0; i < 5; i++) {
            paid(teen, "gems-300");
        }
        assertThat(intent(teen, "gems-300").status()).isEqualTo(403);
        store.postStripe(StoreFixture.stripeEvent("evt_r_" + first, "charge.refunded", """
                {"id":"ch_%s","object":"charge","amount":3000,"amount_refunded":3000,"payment_intent":"%s"}"""
                .formatted(first, first)));
        assertThat(intent(teen, "gems-300").status()).as("¥150 spent now").isEqualTo(200);
    }

    @Test
    void childrenUnderEightCannotBuyAndSixteenYearOldsHaveTheirOwnCaps() {
        Buyer child = store.signUp(7);
        assertThat(message(intent(child, "gems-60"))).isEqualTo("You are 7: there are no purchases under 8.");
        Buyer sixteen = store.signUp(16);
        assertThat(intent(sixteen, "gems-980").status()).as("¥98 fits ¥100 a purchase").isEqualTo(200);
        paid(sixteen, "gems-980");
        paid(sixteen, "gems-980");
        paid(sixteen, "gems-980");
        paid(sixteen, "gems-980");
        assertThat(message(intent(sixteen, "gems-300"))).isEqualTo("You are 16: purchases are limited to ¥400 a "
                + "month; ¥392 spent this month, so ¥8 is left and 300 gems costs ¥30.");
        assertThat(intent(sixteen, "gems-60").status()).as("¥398 fits ¥400").isEqualTo(200);
        Buyer adult = store.signUp(18);
        for (int i = 0; i < 5; i++) {
            paid(adult, "gems-980");
        }
        assertThat(intent(adult, "gems-980").status()).as("no cap at 18").isEqualTo(200);
    }

    @Test
    void anyoneCanSetTheirOwnMonthlyCapOnThePage() {
        Buyer adult = store.signUp(40);
        Browser.Reply bad = adult.browser().post("/me/limits", Map.of("monthly_cap", "lots"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("Enter the monthly limit as a number");
        assertThat(adult.browser().post("/me/limits", Map.of("monthly_cap", "50")).status()).isEqualTo(302);
        assertThat(adult.browser().get("/me/limits").ok().body()).contains("value=\"50\"", "¥50 left this month");
        paid(adult, "gems-300");

        assertThat(message(intent(adult, "gems-300"))).isEqualTo("You set your own limit of ¥50 a month; ¥30 spent "
                + "this month, so ¥20 is left and 300 gems costs ¥30.");
        assertThat(adult.browser().post("/me/limits", Map.of("monthly_cap", "")).status()).isEqualTo(302);
        assertThat(intent(adult, "gems-300").status()).as("cap removed").isEqualTo(200);
    }

    @Test
    void pricesInOtherCurrenciesAreConvertedAndRoundedUpOrRefusedToCappedBuyersWithoutARate() {
        SpendingLimits limits = store.server.context().getBean(SpendingLimits.class);
        assertThat(limits.convert(new Amount(199, "USD")).getAsLong()).as("$1.99 × 7.3 = ¥14.527 → ¥14.53")
                .isEqualTo(1453);
        Buyer teen = store.signUp(15);
        assertThat(intent(teen, "gems-usd").status()).isEqualTo(200);
        assertThat(message(intent(teen, "gems-eur"))).isEqualTo("Prices in EUR cannot be checked against your "
                + "spending limit here (no exchange rate to CNY is configured), so 100 gems (EUR) cannot be bought.");
        assertThat(intent(store.signUp(30), "gems-eur").status()).as("no limit, nothing to check").isEqualTo(200);
    }
}
