package dev.tandem.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One verified delivery from a store: a server notification (Apple), a real-time developer notification
 * (Google) or a webhook event (Stripe).
 *
 * @param store          who sent it
 * @param notificationId the store's id of this delivery ({@code notificationUUID}, Pub/Sub {@code messageId},
 *                       Stripe event id): the same for every retry, so the caller can process it once
 * @param type           the store's own name of what happened, for logs ({@code DID_FAIL_TO_RENEW/GRACE_PERIOD},
 *                       {@code SUBSCRIPTION_RENEWED}, {@code invoice.paid})
 * @param sentAt         when the store says it signed or sent it
 * @param events         what to act on, in order; empty for deliveries that need nothing (tests, consumption
 *                       requests, types this module does not act on)
 */
public record StoreNotification(Store store, String notificationId, String type, Instant sentAt,
        List<StoreEvent> events) {

    public StoreNotification {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sentAt, "sentAt");
        events = List.copyOf(events);
    }
}
