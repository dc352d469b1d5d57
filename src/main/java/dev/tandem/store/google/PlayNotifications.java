package dev.tandem.store.google;

import dev.tandem.store.Store;
import dev.tandem.store.StoreEnvironment;
import dev.tandem.store.StoreEvent;
import dev.tandem.store.StoreException;
import dev.tandem.store.StoreException.Reason;
import dev.tandem.store.StoreNotification;
import dev.tandem.store.internal.Base64Url;
import dev.tandem.store.internal.WireObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Real-time developer notifications, as Pub/Sub pushes them: {@code {"message": {"data": base64 JSON,
 * "messageId": ...}, "subscription": ...}}. The notification only says that something happened to a purchase
 * token; the state is always read back from the Android Publisher API, so a forged or stale push cannot grant
 * anything. A voided purchase (refund, chargeback) is the exception: Google may no longer return it, so the
 * notice itself becomes a {@link StoreEvent.Revoked} (reason REFUND: the notice does not say which), which is
 * why the push endpoint must also be authenticated (see {@code GooglePlayVerifier}).
 */
public final class PlayNotifications {

    static final Map<Integer, String> SUBSCRIPTION_TYPES = Map.ofEntries(Map.entry(1, "RECOVERED"),
            Map.entry(2, "RENEWED"), Map.entry(3, "CANCELED"), Map.entry(4, "PURCHASED"), Map.entry(5, "ON_HOLD"),
            Map.entry(6, "IN_GRACE_PERIOD"), Map.entry(7, "RESTARTED"), Map.entry(8, "PRICE_CHANGE_CONFIRMED"),
            Map.entry(9, "DEFERRED"), Map.entry(10, "PAUSED"), Map.entry(11, "PAUSE_SCHEDULE_CHANGED"),
            Map.entry(12, "REVOKED"), Map.entry(13, "EXPIRED"), Map.entry(17, "ITEMS_CHANGED"),
            Map.entry(18, "CANCELLATION_SCHEDULED"), Map.entry(19, "PRICE_CHANGE_UPDATED"),
            Map.entry(20, "PENDING_PURCHASE_CANCELED"), Map.entry(22, "PRICE_STEP_UP_CONSENT_UPDATED"));

    private final String packageName;
    private final AndroidPublisher publisher;
    private final Predicate<StoreEnvironment> accepted;

    public PlayNotifications(String packageName, AndroidPublisher publisher, Predicate<StoreEnvironment> accepted) {
        this.packageName = packageName;
        this.publisher = publisher;
        this.accepted = accepted;
    }

    /** Parses the push body, checks the package, reads back the purchase and returns what happened. */
    public StoreNotification handle(String pushBody) {
        WireObject message = WireObject.parse(Store.GOOGLE_PLAY, "Pub/Sub push", pushBody).object("message");
        String messageId = message.text("messageId");
        WireObject data = WireObject.parse(Store.GOOGLE_PLAY, "Google developer notification",
                Base64Url.decodeStandard(Store.GOOGLE_PLAY, "Pub/Sub message data", message.text("data")));
        String notifiedPackage = data.text("packageName");
        if (!notifiedPackage.equals(packageName)) {
            throw new StoreException(Store.GOOGLE_PLAY, Reason.WRONG_APP, "notification for package '"
                    + notifiedPackage + "', this server serves '" + packageName + "'");
        }
        Instant eventAt = data.epochMillis("eventTimeMillis");
        WireObject subscription = data.optObject("subscriptionNotification");
        if (subscription != null) {
            int type = (int) subscription.number("notificationType");
            String token = subscription.text("purchaseToken");
            GoogleEvents.Subscription state = GoogleEvents.subscription(publisher.subscription(token), token);
            List<StoreEvent> events = accepted.test(state.environment())
                    ? GoogleEvents.afterNotification(type, state, eventAt) : List.of();
            return new StoreNotification(Store.GOOGLE_PLAY, messageId,
                    "SUBSCRIPTION_" + SUBSCRIPTION_TYPES.getOrDefault(type, String.valueOf(type)), eventAt, events);
        }
        WireObject oneTime = data.optObject("oneTimeProductNotification");
        if (oneTime != null) {
            return oneTime(messageId, oneTime, eventAt);
        }
        WireObject voided = data.optObject("voidedPurchaseNotification");
        if (voided != null) {
            StoreEvent.Revoked revoked = new StoreEvent.Revoked(Store.GOOGLE_PLAY, voided.text("orderId"),
                    voided.text("purchaseToken"), null, eventAt, StoreEvent.Revoked.Reason.REFUND,
                    voided.optNumber("refundType") != null && voided.number("refundType") == 2,
                    StoreEnvironment.PRODUCTION);
            return new StoreNotification(Store.GOOGLE_PLAY, messageId, "VOIDED_PURCHASE", eventAt, List.of(revoked));
        }
        if (data.has("testNotification")) {
            return new StoreNotification(Store.GOOGLE_PLAY, messageId, "TEST", eventAt, List.of());
        }
        throw data.malformed("holds none of subscriptionNotification, oneTimeProductNotification, "
                + "voidedPurchaseNotification, testNotification");
    }

    private StoreNotification oneTime(String messageId, WireObject notice, Instant eventAt) {
        long type = notice.number("notificationType");
        String productId = notice.text("sku");
        String token = notice.text("purchaseToken");
        if (type != 1) {
            // 2: a pending purchase was canceled; nothing was credited
            return new StoreNotification(Store.GOOGLE_PLAY, messageId, "ONE_TIME_PRODUCT_CANCELED", eventAt,
                    List.of());
        }
        List<StoreEvent> events;
        try {
            StoreEvent.Purchased purchased = GoogleEvents.product(publisher.product(productId, token), productId,
                    token);
            events = accepted.test(purchased.environment()) ? List.of(purchased) : List.of();
        } catch (StoreException e) {
            if (e.reason() != Reason.PENDING && e.reason() != Reason.NOT_PURCHASED) {
                throw e;
            }
            // not paid (yet): a later notification or the app's own check will report it
            events = List.of();
        }
        return new StoreNotification(Store.GOOGLE_PLAY, messageId, "ONE_TIME_PRODUCT_PURCHASED", eventAt, events);
    }
}
