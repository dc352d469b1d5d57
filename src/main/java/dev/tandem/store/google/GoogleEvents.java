package dev.tandem.store.google;

import dev.tandem.store.ProductKind;
import dev.tandem.store.Store;
import dev.tandem.store.StoreEnvironment;
import dev.tandem.store.StoreEvent;
import dev.tandem.store.StoreException;
import dev.tandem.store.StoreException.Reason;
import dev.tandem.store.internal.WireObject;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Google Play's purchase resources mapped to {@link StoreEvent}s. The purchase token is the
 * {@code originalTransactionId} (it names the purchase across renewals); the order id is the
 * {@code transactionId}. A purchase made by a license tester ({@code purchaseType} 0, or {@code testPurchase}
 * in a subscription) is {@link StoreEnvironment#SANDBOX}.
 */
public final class GoogleEvents {

    /** A subscription as subscriptionsv2 reports it, reduced to what the events need. */
    public record Subscription(String state, String purchaseToken, @Nullable String productId,
            @Nullable String orderId, @Nullable Instant startedAt, @Nullable Instant expiresAt, boolean autoRenew,
            boolean acknowledged, @Nullable String accountToken, StoreEnvironment environment) {
    }

    private GoogleEvents() {
    }

    /**
     * ProductPurchase → Purchased; canceled is {@link Reason#NOT_PURCHASED}, pending {@link Reason#PENDING}. A
     * license tester's purchase without an order id gets its purchase token as transaction id.
     */
    public static StoreEvent.Purchased product(WireObject purchase, String productId, String purchaseToken) {
        long state = purchase.number("purchaseState");
        if (state == 1) {
            throw new StoreException(Store.GOOGLE_PLAY, Reason.NOT_PURCHASED, "purchase of " + productId
                    + " was canceled (purchaseState 1)");
        }
        if (state == 2) {
            throw new StoreException(Store.GOOGLE_PLAY, Reason.PENDING, "purchase of " + productId
                    + " is pending payment (purchaseState 2)");
        }
        if (state != 0) {
            throw purchase.malformed("purchaseState must be 0, 1 or 2, was " + state);
        }
        long quantity = purchase.optNumber("quantity") == null ? 1 : purchase.number("quantity");
        if (quantity < 1 || quantity > Integer.MAX_VALUE) {
            throw purchase.malformed("quantity must be a positive integer, was " + quantity);
        }
        Long type = purchase.optNumber("purchaseType");
        StoreEnvironment environment = type != null && type == 0 ? StoreEnvironment.SANDBOX
                : StoreEnvironment.PRODUCTION;
        // license testers' purchases may carry no order id; a real one must
        String orderId = environment == StoreEnvironment.SANDBOX && purchase.optText("orderId") == null
                ? purchaseToken : purchase.text("orderId");
        return new StoreEvent.Purchased(Store.GOOGLE_PLAY, orderId, purchaseToken, productId,
                (int) quantity, purchase.epochMillis("purchaseTimeMillis"), environment,
                purchase.optText("obfuscatedExternalAccountId"), ProductKind.CONSUMABLE, null);
    }

    /** Reads SubscriptionPurchaseV2; the line item that runs longest gives product and expiry. */
    public static Subscription subscription(WireObject purchase, String purchaseToken) {
        List<WireObject> items = purchase.objects("lineItems");
        WireObject item = items.stream()
                .max(Comparator.comparing(i -> Objects.requireNonNullElse(i.optTimestamp("expiryTime"), Instant.MIN)))
                .orElse(null);
        WireObject plan = item == null ? null : item.optObject("autoRenewingPlan");
        String orderId = item == null ? null : item.optText("latestSuccessfulOrderId");
        WireObject account = purchase.optObject("externalAccountIdentifiers");
        return new Subscription(purchase.text("subscriptionState"), purchaseToken,
                item == null ? null : item.optText("productId"),
                orderId != null ? orderId : purchase.optText("latestOrderId"), purchase.optTimestamp("startTime"),
                item == null ? null : item.optTimestamp("expiryTime"),
                plan != null && plan.flag("autoRenewEnabled", false),
                "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED".equals(purchase.optText("acknowledgementState")),
                account == null ? null : account.optText("obfuscatedExternalAccountId"),
                purchase.has("testPurchase") ? StoreEnvironment.SANDBOX : StoreEnvironment.PRODUCTION);
    }

    /**
     * What a subscription's current state means for access, for an app asking about a token: paid (active, or
     * canceled but still in its paid period) → Purchased; grace; on hold or paused; expired.
     */
    public static StoreEvent current(Subscription s, Instant now) {
        return switch (s.state()) {
            case "SUBSCRIPTION_STATE_ACTIVE" -> purchased(s);
            case "SUBSCRIPTION_STATE_CANCELED" -> s.expiresAt() != null && s.expiresAt().isAfter(now)
                    ? purchased(s) : expired(s);
            case "SUBSCRIPTION_STATE_IN_GRACE_PERIOD" -> grace(s);
            case "SUBSCRIPTION_STATE_ON_HOLD", "SUBSCRIPTION_STATE_PAUSED" -> onHold(s);
            case "SUBSCRIPTION_STATE_EXPIRED" -> expired(s);
            case "SUBSCRIPTION_STATE_PENDING" -> throw new StoreException(Store.GOOGLE_PLAY, Reason.PENDING,
                    "subscription is pending payment");
            case "SUBSCRIPTION_STATE_PENDING_PURCHASE_CANCELED" -> throw new StoreException(Store.GOOGLE_PLAY,
                    Reason.NOT_PURCHASED, "pending subscription purchase was canceled");
            default -> throw new StoreException(Store.GOOGLE_PLAY, Reason.MALFORMED,
                    "unknown subscriptionState '" + s.state() + "'");
        };
    }

    /**
     * The events of a subscription notification, decided by the state fetched from the API (the notification only
     * says something changed). The type tells apart a first purchase (4), a renewal or recovery (1, 2), auto-renew
     * switched back on (7) and a revocation (12).
     */
    public static List<StoreEvent> afterNotification(int type, Subscription s, Instant eventAt) {
        if (type == 12) {
            return List.of(new StoreEvent.Revoked(Store.GOOGLE_PLAY, orderId(s), s.purchaseToken(), s.productId(),
                    eventAt, StoreEvent.Revoked.Reason.ACCESS_REVOKED, false, s.environment()));
        }
        return switch (s.state()) {
            case "SUBSCRIPTION_STATE_ACTIVE" -> switch (type) {
                case 4 -> List.of(purchased(s));
                case 1, 2 -> List.of(new StoreEvent.Renewed(Store.GOOGLE_PLAY, orderId(s), s.purchaseToken(),
                        s.productId(), eventAt, s.expiresAt(), s.environment()));
                case 7 -> List.of(new StoreEvent.RenewalChanged(Store.GOOGLE_PLAY, s.purchaseToken(), s.productId(),
                        true, s.expiresAt(), s.environment()));
                default -> List.of();
            };
            case "SUBSCRIPTION_STATE_CANCELED" -> List.of(new StoreEvent.RenewalChanged(Store.GOOGLE_PLAY,
                    s.purchaseToken(), s.productId(), false, s.expiresAt(), s.environment()));
            case "SUBSCRIPTION_STATE_IN_GRACE_PERIOD" -> List.of(grace(s));
            case "SUBSCRIPTION_STATE_ON_HOLD", "SUBSCRIPTION_STATE_PAUSED" -> List.of(onHold(s));
            case "SUBSCRIPTION_STATE_EXPIRED" -> List.of(expired(s));
            default -> List.of();
        };
    }

    private static StoreEvent.Purchased purchased(Subscription s) {
        if (s.productId() == null || s.startedAt() == null) {
            throw new StoreException(Store.GOOGLE_PLAY, Reason.MALFORMED,
                    "an active subscription must name its product (lineItems) and startTime");
        }
        return new StoreEvent.Purchased(Store.GOOGLE_PLAY, orderId(s), s.purchaseToken(), s.productId(), 1,
                s.startedAt(), s.environment(), s.accountToken(), ProductKind.SUBSCRIPTION, s.expiresAt());
    }

    private static StoreEvent.GracePeriod grace(Subscription s) {
        return new StoreEvent.GracePeriod(Store.GOOGLE_PLAY, s.purchaseToken(), s.productId(), s.expiresAt(),
                s.environment());
    }

    private static StoreEvent.OnHold onHold(Subscription s) {
        return new StoreEvent.OnHold(Store.GOOGLE_PLAY, s.purchaseToken(), s.productId(), s.environment());
    }

    private static StoreEvent.Expired expired(Subscription s) {
        return new StoreEvent.Expired(Store.GOOGLE_PLAY, s.purchaseToken(), s.productId(), s.expiresAt(),
                s.environment());
    }

    private static String orderId(Subscription s) {
        if (s.orderId() == null) {
            throw new StoreException(Store.GOOGLE_PLAY, Reason.MALFORMED,
                    "subscription has no order id (lineItems[].latestSuccessfulOrderId or latestOrderId)");
        }
        return s.orderId();
    }
}
