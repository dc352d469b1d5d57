package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.store.StoreException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stripe webhook deliveries, signed as Stripe signs them, through StripeWebhooks. */
class StripeWebhooksTest {

    static final String SECRET = "whsec_test_5f1b2d9c8e7a6b5c4d3e2f1a0b9c8d7e";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final long T = NOW.getEpochSecond();
    static final StripeWebhooks WEBHOOKS = new StripeWebhooks(new StripeWebhooks.Settings(SECRET,
            StripeWebhooks.Settings.DEFAULT_TOLERANCE, Set.of(StoreEnvironment.PRODUCTION)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    /** An event envelope as Stripe delivers it. */
    static String event(String type, String object, String previous) {
        return """
                {"id":"evt_1PqRsT2eZvKYlo2C","object":"event","api_version":"2025-03-31.basil","created":%d,
                 "livemode":true,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"%s",
                 "data":{"object":%s%s}}""".formatted(T - 2, type, object,
                previous == null ? "" : ",\"previous_attributes\":" + previous);
    }

    /** A completed Checkout Session as StripeCheckout creates them. */
    static String session(String mode, String paymentStatus, String metadata) {
        return """
                {"id":"cs_live_a1B2c3","object":"checkout.session","mode":"%s","payment_status":"%s",
                 "status":"complete","client_reference_id":"person-42","customer":"cus_Q1w2E3",
                 "payment_intent":%s,"subscription":%s,"invoice":%s,"amount_total":499,"currency":"eur",
                 "metadata":%s}""".formatted(mode, paymentStatus,
                mode.equals("payment") ? "\"pi_3PqR1a2eZvKYlo2C\"" : "null",
                mode.equals("subscription") ? "\"sub_1PqR9z\"" : "null",
                mode.equals("subscription") ? "\"in_1PqR8y\"" : "null", metadata);
    }

    static final String PACK_METADATA = """
            {"tandem_person":"person-42","tandem_product":"gems-500","tandem_quantity":"2"}""";

    static String signature(String payload, String secret, long t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void acceptsAPaidPackCheckoutWithAValidSignature() {
        String payload = event("checkout.session.completed", session("payment", "paid", PACK_METADATA), null);

        StoreNotification notification = WEBHOOKS.verify(payload, signature(payload, SECRET, T));

        assertThat(notification.notificationId()).isEqualTo("evt_1PqRsT2eZvKYlo2C");
        assertThat(notification.type()).isEqualTo("checkout.session.completed");
        assertThat(notification.events()).containsExactly(new StoreEvent.Purchased(Store.STRIPE,
                "pi_3PqR1a2eZvKYlo2C", "pi_3PqR1a2eZvKYlo2C", "gems-500", 2, Instant.ofEpochSecond(T - 2),
                StoreEnvironment.PRODUCTION, "person-42", ProductKind.CONSUMABLE, null));
    }

    @Test
    void acceptsWhenAnyOfSeveralV1SignaturesMatches() {
        String payload = event("checkout.session.completed", session("payment", "paid", PACK_METADATA), null);
        String header = "t=" + T + ",v1=" + "0".repeat(64) + "," + signature(payload, SECRET, T).split(",")[1]
                + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";

        assertThat(WEBHOOKS.verify(payload, header).events()).hasSize(1);
    }

    @Test
    void acceptsATimestampExactlyAtTheTolerance() {
        String payload = event("payment_intent.created", "{\"id\":\"pi_1\"}", null);

        assertThat(WEBHOOKS.verify(payload, signature(payload, SECRET, T - 300)).events()).isEmpty();
    }

    static Stream<Arguments> rejections() {
        String payload = event("checkout.session.completed", session("payment", "paid", PACK_METADATA), null);
        String good = signature(payload, SECRET, T);
        String test = event("checkout.session.completed", session("payment", "paid", PACK_METADATA), null)
                .replace("\"livemode\":true", "\"livemode\":false");
        String noProduct = event("checkout.session.completed", session("payment", "paid", "{}"), null);
        return Stream.of(
                Arguments.of("payload tampered", payload.replace("\"tandem_quantity\":\"2\"",
                        "\"tandem_quantity\":\"20\""), good, Reason.BAD_SIGNATURE, "no v1 signature matches"),
                Arguments.of("wrong secret", payload, signature(payload, "whsec_someone_else", T),
                        Reason.BAD_SIGNATURE, "no v1 signature matches"),
                Arguments.of("timestamp swapped", payload, good.replace("t=" + T, "t=" + (T - 1)),
                        Reason.BAD_SIGNATURE, "no v1 signature matches"),
                Arguments.of("replayed after the tolerance", payload, signature(payload, SECRET, T - 301),
                        Reason.STALE, "outside the tolerance"),
                Arguments.of("signed in the future", payload, signature(payload, SECRET, T + 301), Reason.STALE,
                        "outside the tolerance"),
                Arguments.of("no header", payload, null, Reason.BAD_SIGNATURE, "missing"),
                Arguments.of("only v0", payload, good.replace("v1=", "v0="), Reason.BAD_SIGNATURE, "at least one v1"),
                Arguments.of("t not a number", payload, good.replace("t=" + T, "t=soon"), Reason.BAD_SIGNATURE,
                        "unix seconds"),
                Arguments.of("test mode where live is expected", test, signature(test, SECRET, T),
                        Reason.WRONG_ENVIRONMENT, "SANDBOX"),
                Arguments.of("signed but not JSON", "hello", signature("hello", SECRET, T), Reason.MALFORMED,
                        "not JSON"),
                Arguments.of("session not made by StripeCheckout", noProduct, signature(noProduct, SECRET, T),
                        Reason.MALFORMED, "tandem_product"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectsDeliveries(String name, String payload, String header, Reason expected, String why) {
        assertThatThrownBy(() -> WEBHOOKS.verify(payload, header)).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected);
                    assertThat(e.getMessage()).startsWith("Stripe: ").contains(why).doesNotContain(SECRET);
                });
    }

    static Stream<Arguments> events() {
        StoreEnvironment prod = StoreEnvironment.PRODUCTION;
        Instant created = Instant.ofEpochSecond(T - 2);
        Instant periodEnd = Instant.ofEpochSecond(1751371200L);
        String subMeta = "{\"tandem_person\":\"person-42\",\"tandem_product\":\"membership-monthly\"}";
        String basilInvoice = """
                {"id":"in_2RenewAL","object":"invoice","billing_reason":"%s","status":"paid",
                 "status_transitions":{"paid_at":1748779000},
                 "parent":{"type":"subscription_details","subscription_details":{"metadata":%s,
                   "subscription":"sub_1PqR9z"}},
                 "lines":{"object":"list","data":[{"id":"il_1","period":{"start":1748779200,"end":1751371200}}]}}""";
        String oldInvoice = """
                {"id":"in_2RenewAL","object":"invoice","billing_reason":"subscription_cycle","status":"paid",
                 "subscription":"sub_1PqR9z","subscription_details":{"metadata":%s},
                 "lines":{"object":"list","data":[{"id":"il_1","period":{"start":1748779200,"end":1751371200}}]}}"""
                .formatted(subMeta);
        String charge = """
                {"id":"ch_3PqR","object":"charge","amount":499,"amount_refunded":%d,"refunded":%s,
                 "payment_intent":"pi_3PqR1a2eZvKYlo2C","metadata":{}}""";
        String subscription = """
                {"id":"sub_1PqR9z","object":"subscription","status":"%s","cancel_at_period_end":%s,
                 "cancel_at":null,"ended_at":%s,"metadata":%s,
                 "items":{"object":"list","data":[{"id":"si_1","current_period_end":1751371200}]}}""";
        return Stream.of(
                Arguments.of("membership checkout", "checkout.session.completed",
                        session("subscription", "paid", subMeta), null, List.of(new StoreEvent.Purchased(
                                Store.STRIPE, "in_1PqR8y", "sub_1PqR9z", "membership-monthly", 1, created, prod,
                                "person-42", ProductKind.SUBSCRIPTION, null))),
                Arguments.of("checkout awaiting an async payment", "checkout.session.completed",
                        session("payment", "unpaid", PACK_METADATA), null, List.of()),
                Arguments.of("renewal invoice (2025-03-31 shape)", "invoice.paid",
                        basilInvoice.formatted("subscription_cycle", subMeta), null, List.of(new StoreEvent.Renewed(
                                Store.STRIPE, "in_2RenewAL", "sub_1PqR9z", "membership-monthly",
                                Instant.ofEpochSecond(1748779000), periodEnd, prod))),
                Arguments.of("renewal invoice (older shape)", "invoice.paid", oldInvoice, null,
                        List.of(new StoreEvent.Renewed(Store.STRIPE, "in_2RenewAL", "sub_1PqR9z",
                                "membership-monthly", created, periodEnd, prod))),
                Arguments.of("first invoice is the checkout's", "invoice.paid",
                        basilInvoice.formatted("subscription_create", subMeta), null, List.of()),
                Arguments.of("full refund", "charge.refunded", charge.formatted(499, true), null, List.of(
                        new StoreEvent.Revoked(Store.STRIPE, "pi_3PqR1a2eZvKYlo2C", "pi_3PqR1a2eZvKYlo2C", null,
                                created, StoreEvent.Revoked.Reason.REFUND, false, prod))),
                Arguments.of("partial refund", "charge.refunded", charge.formatted(200, false), null, List.of(
                        new StoreEvent.Revoked(Store.STRIPE, "pi_3PqR1a2eZvKYlo2C", "pi_3PqR1a2eZvKYlo2C", null,
                                created, StoreEvent.Revoked.Reason.REFUND, true, prod))),
                Arguments.of("dispute", "charge.dispute.created", """
                        {"id":"dp_1","object":"dispute","amount":499,"charge":"ch_3PqR",
                         "payment_intent":"pi_3PqR1a2eZvKYlo2C","reason":"fraudulent","status":"needs_response"}""",
                        null, List.of(new StoreEvent.Revoked(Store.STRIPE, "pi_3PqR1a2eZvKYlo2C",
                                "pi_3PqR1a2eZvKYlo2C", null, created, StoreEvent.Revoked.Reason.CHARGEBACK, false,
                                prod))),
                Arguments.of("dispute won", "charge.dispute.closed", """
                        {"id":"dp_1","object":"dispute","amount":499,"charge":"ch_3PqR",
                         "payment_intent":"pi_3PqR1a2eZvKYlo2C","reason":"fraudulent","status":"won"}""",
                        null, List.of(new StoreEvent.Reinstated(Store.STRIPE, "pi_3PqR1a2eZvKYlo2C",
                                "pi_3PqR1a2eZvKYlo2C", null, created, prod))),
                Arguments.of("dispute lost", "charge.dispute.closed", """
                        {"id":"dp_1","object":"dispute","amount":499,"charge":"ch_3PqR",
                         "payment_intent":"pi_3PqR1a2eZvKYlo2C","reason":"fraudulent","status":"lost"}""",
                        null, List.of()),
                Arguments.of("an invoice paid by a payment intent", "invoice_payment.paid", """
                        {"id":"inpay_1","object":"invoice_payment","invoice":"in_2RenewAL","is_default":true,
                         "payment":{"type":"payment_intent","payment_intent":"pi_3PqR1a2eZvKYlo2C"},"status":"paid"}""",
                        null, List.of(new StoreEvent.PaymentLinked(Store.STRIPE, "pi_3PqR1a2eZvKYlo2C", "in_2RenewAL",
                                prod))),
                Arguments.of("an invoice paid, newest API shape", "invoice_payment.paid", """
                        {"id":"inpay_1","object":"invoice_payment","invoice":"in_2RenewAL","charge":"ch_3PqR",
                         "payment_intent":null,"status":"paid"}""",
                        null, List.of(new StoreEvent.PaymentLinked(Store.STRIPE, "ch_3PqR", "in_2RenewAL", prod))),
                Arguments.of("subscription ended", "customer.subscription.deleted",
                        subscription.formatted("canceled", false, 1751371200L, subMeta), null, List.of(
                                new StoreEvent.Expired(Store.STRIPE, "sub_1PqR9z", "membership-monthly", periodEnd,
                                        prod))),
                Arguments.of("renewal payment failed", "customer.subscription.updated",
                        subscription.formatted("past_due", false, null, subMeta), "{\"status\":\"active\"}",
                        List.of(new StoreEvent.GracePeriod(Store.STRIPE, "sub_1PqR9z", "membership-monthly", null,
                                prod))),
                Arguments.of("retries exhausted", "customer.subscription.updated",
                        subscription.formatted("unpaid", false, null, subMeta), "{\"status\":\"past_due\"}",
                        List.of(new StoreEvent.OnHold(Store.STRIPE, "sub_1PqR9z", "membership-monthly", prod))),
                Arguments.of("canceled at period end", "customer.subscription.updated",
                        subscription.formatted("active", true, null, subMeta), "{\"cancel_at_period_end\":false}",
                        List.of(new StoreEvent.RenewalChanged(Store.STRIPE, "sub_1PqR9z", "membership-monthly",
                                false, periodEnd, prod))),
                Arguments.of("other subscription change", "customer.subscription.updated",
                        subscription.formatted("active", false, null, subMeta), "{\"default_payment_method\":null}",
                        List.of()),
                Arguments.of("type not acted on", "payment_intent.succeeded", "{\"id\":\"pi_1\"}", null, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void mapsEvents(String name, String type, String object, String previous, List<StoreEvent> expected) {
        String payload = event(type, object, previous);

        assertThat(WEBHOOKS.verify(payload, signature(payload, SECRET, T)).events()).isEqualTo(expected);
    }
}
