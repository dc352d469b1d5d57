package dev.tandem.store.stripe;

import dev.tandem.store.ProductKind;
import dev.tandem.store.Store;
import dev.tandem.store.StoreEnvironment;
import dev.tandem.store.StoreEvent;
import dev.tandem.store.StoreEvent.Revoked;
import dev.tandem.store.internal.WireObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Stripe events mapped to {@link StoreEvent}s. Ids: a pack's {@code transactionId} is its payment intent; a
 * membership's is the invoice that paid the period and its {@code originalTransactionId} the subscription. Our
 * product and buyer come from the metadata {@code StripeCheckout} writes ({@value #PRODUCT}, {@value #PERSON},
 * {@value #QUANTITY}; {@code client_reference_id} is the buyer too), on the session and, for memberships, on the
 * subscription (so on its invoices). Handles both invoice shapes: {@code subscription} and
 * {@code subscription_details} (before API version 2025-03-31) and {@code parent.subscription_details} (since).
 */
public final class StripeEvents {

    public static final String PERSON = "tandem_person";
    public static final String PRODUCT = "tandem_product";
    public static final String QUANTITY = "tandem_quantity";

    private StripeEvents() {
    }

    /** The events of one verified event object; empty for types and states that need nothing. */
    public static List<StoreEvent> map(String type, WireObject object, @Nullable WireObject previous,
            Instant created, StoreEnvironment environment) {
        return switch (type) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    checkout(object, created, environment);
            case "invoice.paid" -> invoicePaid(object, created, environment);
            case "charge.refunded" -> List.of(new Revoked(Store.STRIPE, chargeKey(object), chargeKey(object), null,
                    created, Revoked.Reason.REFUND, object.number("amount_refunded") < object.number("amount"),
                    environment));
            case "charge.dispute.created" -> List.of(new Revoked(Store.STRIPE, disputeKey(object),
                    disputeKey(object), null, created, Revoked.Reason.CHARGEBACK, false, environment));
            case "charge.dispute.closed" -> "won".equals(object.optText("status"))
                    ? List.of(new StoreEvent.Reinstated(Store.STRIPE, disputeKey(object), disputeKey(object), null,
                            created, environment))
                    : List.of(); // lost: the chargeback stands, as taken back when the dispute opened
            case "invoice_payment.paid" -> {
                // the payment is a nested object, or (in the newest API versions) fields of its own
                WireObject payment = object.optObject("payment");
                WireObject from = payment != null ? payment : object;
                String paid = from.optText("payment_intent") != null ? from.text("payment_intent")
                        : from.optText("charge");
                yield paid == null ? List.of() : List.of(new StoreEvent.PaymentLinked(Store.STRIPE, paid,
                        object.text("invoice"), environment));
            }
            case "customer.subscription.deleted" -> List.of(new StoreEvent.Expired(Store.STRIPE, object.text("id"),
                    metadata(object, PRODUCT), endedAt(object, created), environment));
            case "customer.subscription.updated" -> subscriptionUpdated(object, previous, environment);
            default -> List.of();
        };
    }

    private static List<StoreEvent> checkout(WireObject session, Instant created, StoreEnvironment environment) {
        if ("unpaid".equals(session.text("payment_status"))) {
            // an asynchronous payment method: async_payment_succeeded follows when the money arrives
            return List.of();
        }
        String mode = session.text("mode");
        String person = session.optText("client_reference_id") != null ? session.optText("client_reference_id")
                : metadata(session, PERSON);
        String product = metadata(session, PRODUCT);
        if (product == null) {
            throw session.malformed("metadata." + PRODUCT + " is missing: the session was not made by StripeCheckout");
        }
        return switch (mode) {
            case "payment" -> {
                String intent = session.optText("payment_intent") != null ? session.text("payment_intent")
                        : session.text("id");
                yield List.of(new StoreEvent.Purchased(Store.STRIPE, intent, intent, product, quantity(session),
                        created, environment, person, ProductKind.CONSUMABLE, null));
            }
            case "subscription" -> List.of(new StoreEvent.Purchased(Store.STRIPE, session.text("invoice"),
                    session.text("subscription"), product, 1, created, environment, person, ProductKind.SUBSCRIPTION,
                    null));
            default -> List.of();
        };
    }

    private static List<StoreEvent> invoicePaid(WireObject invoice, Instant created, StoreEnvironment environment) {
        if (!"subscription_cycle".equals(invoice.optText("billing_reason"))) {
            // subscription_create is the checkout's own purchase; manual invoices are not memberships
            return List.of();
        }
        WireObject details = invoice.optObject("subscription_details");
        String subscription = invoice.optText("subscription");
        WireObject parent = invoice.optObject("parent");
        if (parent != null && parent.optObject("subscription_details") != null) {
            details = parent.object("subscription_details");
            subscription = details.text("subscription");
        }
        if (subscription == null) {
            throw invoice.malformed("a subscription_cycle invoice must name its subscription");
        }
        WireObject meta = details == null ? null : details.optObject("metadata");
        WireObject transitions = invoice.optObject("status_transitions");
        Instant paidAt = transitions == null ? null : transitions.optEpochSeconds("paid_at");
        Instant periodEnd = null;
        for (WireObject line : linesOf(invoice)) {
            WireObject period = line.optObject("period");
            Instant end = period == null ? null : period.optEpochSeconds("end");
            if (end != null && (periodEnd == null || end.isAfter(periodEnd))) {
                periodEnd = end;
            }
        }
        return List.of(new StoreEvent.Renewed(Store.STRIPE, invoice.text("id"), subscription,
                meta == null ? null : meta.optText(PRODUCT), paidAt == null ? created : paidAt, periodEnd,
                environment));
    }

    private static List<StoreEvent> subscriptionUpdated(WireObject subscription, @Nullable WireObject previous,
            StoreEnvironment environment) {
        if (previous == null) {
            return List.of();
        }
        String id = subscription.text("id");
        String product = metadata(subscription, PRODUCT);
        List<StoreEvent> events = new ArrayList<>();
        if (previous.has("status")) {
            switch (subscription.text("status")) {
                case "past_due" -> events.add(new StoreEvent.GracePeriod(Store.STRIPE, id, product, null,
                        environment));
                case "unpaid", "paused" -> events.add(new StoreEvent.OnHold(Store.STRIPE, id, product, environment));
                default -> {
                    // active again: the invoice.paid that caused it is the Renewed
                }
            }
        }
        if (previous.has("cancel_at_period_end") || previous.has("cancel_at")) {
            boolean autoRenew = !subscription.flag("cancel_at_period_end", false) && !subscription.has("cancel_at");
            events.add(new StoreEvent.RenewalChanged(Store.STRIPE, id, product, autoRenew, periodEnd(subscription),
                    environment));
        }
        return events;
    }

    /** The period end: on the subscription before API version 2025-03-31, on its items since. */
    private static @Nullable Instant periodEnd(WireObject subscription) {
        Instant end = subscription.optEpochSeconds("current_period_end");
        WireObject items = subscription.optObject("items");
        if (end == null && items != null) {
            for (WireObject item : items.objects("data")) {
                Instant itemEnd = item.optEpochSeconds("current_period_end");
                if (itemEnd != null && (end == null || itemEnd.isAfter(end))) {
                    end = itemEnd;
                }
            }
        }
        return end;
    }

    private static List<WireObject> linesOf(WireObject invoice) {
        WireObject lines = invoice.optObject("lines");
        return lines == null ? List.of() : lines.objects("data");
    }

    /** A disputed payment's purchase: its payment intent, else its charge. */
    private static String disputeKey(WireObject dispute) {
        return dispute.optText("payment_intent") != null ? dispute.text("payment_intent") : dispute.text("charge");
    }

    /** A refunded charge's purchase: its invoice where the API version still says, else its payment intent. */
    private static String chargeKey(WireObject charge) {
        if (charge.optText("invoice") != null) {
            return charge.text("invoice");
        }
        return charge.optText("payment_intent") != null ? charge.text("payment_intent") : charge.text("id");
    }

    private static Instant endedAt(WireObject subscription, Instant created) {
        Instant ended = subscription.optEpochSeconds("ended_at");
        return ended == null ? created : ended;
    }

    private static int quantity(WireObject session) {
        String value = metadata(session, QUANTITY);
        if (value == null) {
            return 1;
        }
        try {
            int quantity = Integer.parseInt(value);
            if (quantity >= 1) {
                return quantity;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw session.malformed("metadata." + QUANTITY + " must be a positive integer, was '" + value + "'");
    }

    private static @Nullable String metadata(WireObject object, String key) {
        WireObject metadata = object.optObject("metadata");
        return metadata == null ? null : metadata.optText(key);
    }
}
