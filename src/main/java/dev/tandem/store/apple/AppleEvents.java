package dev.tandem.store.apple;

import dev.tandem.store.ProductKind;
import dev.tandem.store.Store;
import dev.tandem.store.StoreEnvironment;
import dev.tandem.store.StoreEvent;
import dev.tandem.store.StoreEvent.Revoked;
import dev.tandem.store.StoreException;
import dev.tandem.store.internal.WireObject;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Maps verified Apple payloads ({@code JWSTransactionDecodedPayload}, {@code JWSRenewalInfoDecodedPayload}, a
 * V2 notification's type and subtype) to {@link StoreEvent}s. Callers have checked signatures, bundle id and
 * environment; {@code environment} is the one they checked.
 */
public final class AppleEvents {

    private AppleEvents() {
    }

    /** A transaction on its own (what StoreKit hands the app): a purchase, or its revocation if it has one. */
    public static StoreEvent fromTransaction(WireObject tx, StoreEnvironment environment) {
        return tx.has("revocationDate") ? revoked(tx, environment, Revoked.Reason.REFUND) : purchased(tx, environment);
    }

    /**
     * The events of one notification; empty for types that need no action (TEST, CONSUMPTION_REQUEST,
     * PRICE_INCREASE, REFUND_DECLINED, OFFER_REDEEMED, DID_CHANGE_RENEWAL_PREF, RENEWAL_EXTENDED, ...).
     */
    public static List<StoreEvent> fromNotification(String type, @Nullable String subtype, @Nullable WireObject tx,
            @Nullable WireObject renewal, Instant signedAt, StoreEnvironment environment) {
        return switch (type) {
            case "SUBSCRIBED", "ONE_TIME_CHARGE" -> List.of(purchased(need(tx, type), environment));
            case "DID_RENEW" -> {
                WireObject t = need(tx, type);
                yield List.of(new StoreEvent.Renewed(Store.APPLE, t.text("transactionId"),
                        t.text("originalTransactionId"), t.text("productId"), t.epochMillis("purchaseDate"),
                        t.optEpochMillis("expiresDate"), environment));
            }
            case "DID_CHANGE_RENEWAL_STATUS" -> {
                boolean autoRenew = renewal != null && renewal.has("autoRenewStatus")
                        ? renewal.number("autoRenewStatus") == 1
                        : "AUTO_RENEW_ENABLED".equals(subtype);
                yield List.of(new StoreEvent.RenewalChanged(Store.APPLE, originalId(tx, renewal, type),
                        productId(tx, renewal), autoRenew, tx == null ? null : tx.optEpochMillis("expiresDate"),
                        environment));
            }
            case "DID_FAIL_TO_RENEW" -> "GRACE_PERIOD".equals(subtype)
                    ? List.of(new StoreEvent.GracePeriod(Store.APPLE, originalId(tx, renewal, type),
                            productId(tx, renewal),
                            renewal == null ? null : renewal.optEpochMillis("gracePeriodExpiresDate"), environment))
                    : List.of(onHold(tx, renewal, type, environment));
            case "GRACE_PERIOD_EXPIRED" -> List.of(onHold(tx, renewal, type, environment));
            case "EXPIRED" -> List.of(new StoreEvent.Expired(Store.APPLE, originalId(tx, renewal, type),
                    productId(tx, renewal), tx == null ? signedAt : tx.optEpochMillis("expiresDate"), environment));
            case "REFUND" -> List.of(revoked(need(tx, type), environment, Revoked.Reason.REFUND));
            case "REVOKE" -> List.of(revoked(need(tx, type), environment, Revoked.Reason.ACCESS_REVOKED));
            case "REFUND_REVERSED" -> {
                WireObject t = need(tx, type);
                yield List.of(new StoreEvent.Reinstated(Store.APPLE, t.text("transactionId"),
                        t.text("originalTransactionId"), t.text("productId"), signedAt, environment));
            }
            default -> List.of();
        };
    }

    private static StoreEvent.Purchased purchased(WireObject tx, StoreEnvironment environment) {
        ProductKind kind = kind(tx);
        long quantity = tx.optNumber("quantity") == null ? 1 : tx.number("quantity");
        if (quantity < 1 || quantity > Integer.MAX_VALUE) {
            throw tx.malformed("field 'quantity' must be a positive integer, was " + quantity);
        }
        return new StoreEvent.Purchased(Store.APPLE, tx.text("transactionId"), tx.text("originalTransactionId"),
                tx.text("productId"), (int) quantity, tx.epochMillis("purchaseDate"), environment,
                tx.optText("appAccountToken"), kind,
                kind == ProductKind.SUBSCRIPTION ? tx.optEpochMillis("expiresDate") : null);
    }

    private static Revoked revoked(WireObject tx, StoreEnvironment environment, Revoked.Reason fallback) {
        String revocationType = tx.optText("revocationType");
        Revoked.Reason reason = "FAMILY_REVOKE".equals(revocationType) ? Revoked.Reason.ACCESS_REVOKED : fallback;
        Instant at = tx.optEpochMillis("revocationDate");
        if (at == null) {
            throw tx.malformed("a refunded or revoked transaction must carry 'revocationDate'");
        }
        return new Revoked(Store.APPLE, tx.text("transactionId"), tx.text("originalTransactionId"),
                tx.text("productId"), at, reason, "REFUND_PRORATED".equals(revocationType), environment);
    }

    private static StoreEvent.OnHold onHold(@Nullable WireObject tx, @Nullable WireObject renewal, String type,
            StoreEnvironment environment) {
        return new StoreEvent.OnHold(Store.APPLE, originalId(tx, renewal, type), productId(tx, renewal), environment);
    }

    private static ProductKind kind(WireObject tx) {
        String type = tx.text("type");
        return switch (type) {
            case "Consumable" -> ProductKind.CONSUMABLE;
            case "Auto-Renewable Subscription" -> ProductKind.SUBSCRIPTION;
            default -> throw tx.malformed("product type '" + type
                    + "' is not sold by Tandem (Consumable or Auto-Renewable Subscription)");
        };
    }

    private static WireObject need(@Nullable WireObject tx, String type) {
        if (tx == null) {
            throw new StoreException(Store.APPLE, StoreException.Reason.MALFORMED,
                    "notification " + type + " carries no data.signedTransactionInfo");
        }
        return tx;
    }

    private static String originalId(@Nullable WireObject tx, @Nullable WireObject renewal, String type) {
        if (tx != null) {
            return tx.text("originalTransactionId");
        }
        if (renewal != null) {
            return renewal.text("originalTransactionId");
        }
        return need(null, type).text("originalTransactionId");
    }

    private static @Nullable String productId(@Nullable WireObject tx, @Nullable WireObject renewal) {
        if (tx != null) {
            return tx.optText("productId");
        }
        return renewal == null ? null : renewal.optText("productId");
    }
}
