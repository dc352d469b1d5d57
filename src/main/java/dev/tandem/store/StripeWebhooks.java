package dev.tandem.store;

import dev.tandem.store.internal.WireObject;
import dev.tandem.store.stripe.StripeEvents;
import dev.tandem.store.stripe.StripeSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies Stripe webhook deliveries and turns their events into {@link StoreEvent}s.
 *
 * <p>The {@code Stripe-Signature} header must hold a {@code v1} HMAC-SHA256 of {@code t.payload} under the
 * endpoint's signing secret, compared in constant time, and {@code t} must lie within {@link Settings#tolerance()}
 * of the injected clock (300 s by default, as Stripe's libraries): a delivery captured and replayed later is
 * {@code STALE}. Only then is the payload parsed. Events acted on: {@code checkout.session.completed} and
 * {@code checkout.session.async_payment_succeeded} (paid) → Purchased; {@code invoice.paid} for a subscription
 * cycle → Renewed; {@code charge.refunded} → Revoked (REFUND); {@code charge.dispute.created} → Revoked
 * (CHARGEBACK); {@code customer.subscription.updated} → GracePeriod (past_due), OnHold (unpaid, paused),
 * RenewalChanged (cancel at period end set or cleared); {@code customer.subscription.deleted} → Expired;
 * {@code charge.dispute.closed} (won) → Reinstated; {@code invoice_payment.paid} → PaymentLinked. Every other type
 * verifies and yields no events.
 *
 * <p>Stripe charges and disputes do not name our product, and since API version 2025-03-31 a charge no longer
 * names its invoice: the Revoked of a membership payment then carries the payment intent, which the
 * {@code invoice_payment.paid} seen before links to the invoice the period was credited under.
 *
 * <p>Thread-safe.
 */
public final class StripeWebhooks {

    /**
     * @param webhookSecret the endpoint's signing secret ({@code whsec_...})
     * @param tolerance     how far the signed timestamp may be from our clock; {@link #DEFAULT_TOLERANCE}
     * @param environments  accepted: live mode is production, test mode sandbox
     */
    public record Settings(String webhookSecret, Duration tolerance, Set<StoreEnvironment> environments) {

        public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

        public Settings {
            if (webhookSecret == null || webhookSecret.isBlank()) {
                throw new IllegalArgumentException("Stripe webhook secret must not be blank");
            }
            if (tolerance.isNegative() || tolerance.isZero()) {
                throw new IllegalArgumentException("Stripe signature tolerance must be positive, was " + tolerance);
            }
            if (environments.isEmpty()) {
                throw new IllegalArgumentException("Stripe environments must name at least one of sandbox, production");
            }
            environments = Set.copyOf(environments);
        }

        @Override
        public String toString() {
            return "Settings[tolerance " + tolerance + ", " + environments + "]";
        }
    }

    private final Settings settings;
    private final StripeSignature signature;

    public StripeWebhooks(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.signature = new StripeSignature(settings.webhookSecret(), settings.tolerance(),
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Verifies one delivery.
     *
     * @param payload         the request body exactly as received (bytes: re-encoding would break the signature)
     * @param signatureHeader the {@code Stripe-Signature} header, {@code null} when absent
     * @return the event, its id ({@code evt_...}) as notification id and its type ({@code invoice.paid}) as type
     * @throws StoreException {@code BAD_SIGNATURE}, {@code STALE}, {@code WRONG_ENVIRONMENT} or {@code MALFORMED}
     */
    public StoreNotification verify(byte[] payload, @Nullable String signatureHeader) {
        signature.verify(payload, signatureHeader);
        WireObject event = WireObject.parse(Store.STRIPE, "Stripe event", payload);
        StoreEnvironment environment = event.flag("livemode", false) ? StoreEnvironment.PRODUCTION
                : StoreEnvironment.SANDBOX;
        if (!settings.environments().contains(environment)) {
            throw new StoreException(Store.STRIPE, StoreException.Reason.WRONG_ENVIRONMENT, environment
                    + " event is not accepted here (accepted: " + settings.environments() + ")");
        }
        String type = event.text("type");
        Instant created = Instant.ofEpochSecond(event.number("created"));
        WireObject data = event.object("data");
        List<StoreEvent> events = StripeEvents.map(type, data.object("object"), data.optObject("previous_attributes"),
                created, environment);
        return new StoreNotification(Store.STRIPE, event.text("id"), type, created, events);
    }

    /** {@link #verify(byte[], String)} of a body read as UTF-8 text. */
    public StoreNotification verify(String payload, @Nullable String signatureHeader) {
        return verify(payload.getBytes(StandardCharsets.UTF_8), signatureHeader);
    }
}
