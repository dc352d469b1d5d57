package dev.tandem.store;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A verified fact about a purchase, in the same terms for every store. Ids are the store's own:
 * {@code transactionId} names one payment (Apple's transactionId, Google's orderId, Stripe's payment intent or
 * invoice) and is what a ledger keys a credit on; {@code originalTransactionId} names the purchase a payment
 * belongs to (Apple's originalTransactionId, Google's purchase token, Stripe's subscription or payment intent),
 * which is what a membership is keyed on.
 *
 * <p>{@code accountToken} is what the app attached to the purchase to name the buyer: Apple's
 * {@code appAccountToken}, Google's {@code obfuscatedExternalAccountId}, Stripe's {@code client_reference_id}.
 * It is {@code null} where the app attached nothing; it is the app's claim, not the store's proof.
 *
 * <p>Records are immutable; constructors reject {@code null} where the field is not {@code @Nullable}.
 */
public sealed interface StoreEvent {

    Store store();

    StoreEnvironment environment();

    /** The purchase this event belongs to; for a consumable it is the payment itself. */
    String originalTransactionId();

    /**
     * A new paid purchase: a pack to credit once per {@code transactionId}, or the first period of a membership.
     *
     * @param quantity  how many of the product were bought, at least 1
     * @param expiresAt end of the paid period for a subscription where the store says; {@code null} for
     *                  consumables and where the store does not say yet (Stripe's checkout)
     */
    record Purchased(Store store, String transactionId, String originalTransactionId, String productId, int quantity,
            Instant purchasedAt, StoreEnvironment environment, @Nullable String accountToken, ProductKind kind,
            @Nullable Instant expiresAt) implements StoreEvent {
        public Purchased {
            requireAll("store", store, "transactionId", transactionId,
                    "originalTransactionId", originalTransactionId, "productId", productId,
                    "purchasedAt", purchasedAt, "environment", environment, "kind", kind);
            if (quantity < 1) {
                throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
            }
        }
    }

    /** A membership was paid for another period (a renewal, or a recovery after failed billing). */
    record Renewed(Store store, String transactionId, String originalTransactionId, @Nullable String productId,
            Instant renewedAt, @Nullable Instant expiresAt, StoreEnvironment environment) implements StoreEvent {
        public Renewed {
            requireAll("store", store, "transactionId", transactionId,
                    "originalTransactionId", originalTransactionId, "renewedAt", renewedAt,
                    "environment", environment);
        }
    }

    /**
     * The buyer switched auto-renewal off ({@code autoRenew} false: access stays until {@code expiresAt}, then
     * ends) or back on.
     */
    record RenewalChanged(Store store, String originalTransactionId, @Nullable String productId, boolean autoRenew,
            @Nullable Instant expiresAt, StoreEnvironment environment) implements StoreEvent {
        public RenewalChanged {
            requireAll("store", store, "originalTransactionId", originalTransactionId, "environment", environment);
        }
    }

    /** A renewal payment failed; access continues until {@code graceEndsAt} while the store retries. */
    record GracePeriod(Store store, String originalTransactionId, @Nullable String productId,
            @Nullable Instant graceEndsAt, StoreEnvironment environment) implements StoreEvent {
        public GracePeriod {
            requireAll("store", store, "originalTransactionId", originalTransactionId, "environment", environment);
        }
    }

    /**
     * Access stops for now, but the membership is not over: payment failed without (or after) a grace period
     * and the store keeps retrying, or the buyer paused it. A later {@link Renewed} restores it.
     */
    record OnHold(Store store, String originalTransactionId, @Nullable String productId,
            StoreEnvironment environment) implements StoreEvent {
        public OnHold {
            requireAll("store", store, "originalTransactionId", originalTransactionId, "environment", environment);
        }
    }

    /** The membership ended: access stops. */
    record Expired(Store store, String originalTransactionId, @Nullable String productId,
            @Nullable Instant expiredAt, StoreEnvironment environment) implements StoreEvent {
        public Expired {
            requireAll("store", store, "originalTransactionId", originalTransactionId, "environment", environment);
        }
    }

    /**
     * Money went back or access was withdrawn: take back what {@code transactionId} credited.
     *
     * @param partial true when only part was refunded (Apple's prorated refund, Google's quantity-based refund,
     *                a partial Stripe refund); the ledger decides what to take back then
     */
    record Revoked(Store store, String transactionId, String originalTransactionId, @Nullable String productId,
            Instant revokedAt, Reason reason, boolean partial, StoreEnvironment environment) implements StoreEvent {
        public Revoked {
            requireAll("store", store, "transactionId", transactionId,
                    "originalTransactionId", originalTransactionId, "revokedAt", revokedAt, "reason", reason,
                    "environment", environment);
        }

        /** Why it was revoked. */
        public enum Reason {
            /** The store refunded the buyer. */
            REFUND,
            /** The buyer's bank reversed the payment (a dispute); it may still be won. */
            CHARGEBACK,
            /** Access withdrawn without a refund to this buyer (Apple family sharing ended, Google revoked). */
            ACCESS_REVOKED
        }
    }

    /**
     * A refund or chargeback was reversed (Apple's {@code REFUND_REVERSED}, a Stripe dispute won): give back what the
     * {@link Revoked} of {@code transactionId} took.
     */
    record Reinstated(Store store, String transactionId, String originalTransactionId, @Nullable String productId,
            Instant reinstatedAt, StoreEnvironment environment) implements StoreEvent {
        public Reinstated {
            requireAll("store", store, "transactionId", transactionId,
                    "originalTransactionId", originalTransactionId, "reinstatedAt", reinstatedAt,
                    "environment", environment);
        }
    }

    /**
     * {@code paymentId} paid {@code transactionId} (Stripe's {@code invoice_payment.paid}: a payment intent paid an
     * invoice), so that a refund or dispute naming only the payment finds what it paid.
     */
    record PaymentLinked(Store store, String paymentId, String transactionId, StoreEnvironment environment)
            implements StoreEvent {
        public PaymentLinked {
            requireAll("store", store, "paymentId", paymentId, "transactionId", transactionId,
                    "environment", environment);
        }

        @Override
        public String originalTransactionId() {
            return transactionId;
        }
    }

    /** Checks pairs of (name, value): each value must be present. */
    private static void requireAll(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            Objects.requireNonNull(namesAndValues[i + 1], () -> "store event field " + name + " is required");
        }
    }
}
