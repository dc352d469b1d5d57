package dev.tandem.store;

import dev.tandem.store.purchase.Fulfilment;
import dev.tandem.store.purchase.StoreRecords;
import dev.tandem.store.purchase.StoreRecords.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the stores send on their own: App Store Server Notifications V2, Google Play real-time developer
 * notifications (Pub/Sub push) and Stripe webhook events. Each delivery is verified, then processed in one database
 * transaction together with the row that marks its id as seen, so a redelivery changes nothing (it is answered 200,
 * recognised and audited) and a failure part-way leaves nothing half-done for the store's retry. Purchases are
 * credited when the delivery names a known buyer (the app may not have submitted them yet), refunds and
 * revocations take gems back once, and membership states follow renewals, grace periods, holds and expiries.
 *
 * <p>Answers are what the stores expect: 200 when processed or seen before (so they stop retrying); 400 for a
 * delivery that cannot be trusted (403 for a Google push without its secret), audited; 404 when the store is not
 * configured; 503 when the store's API failed or processing failed, so the store delivers it again. Thread-safe.
 */
@Service
public class StoreInbox {

    private static final Logger log = LoggerFactory.getLogger(StoreInbox.class);

    /** The HTTP status and a short text to answer a store with. */
    public record Reply(int status, String message) {
    }

    private final TransactionTemplate tx;
    private final Fulfilment fulfilment;
    private final StoreRecords records;
    private final ObjectProvider<AppleVerifier> apple;
    private final ObjectProvider<GooglePlayVerifier> google;
    private final ObjectProvider<StripeWebhooks> stripe;

    StoreInbox(TransactionTemplate tx, Fulfilment fulfilment, StoreRecords records, ObjectProvider<AppleVerifier> apple,
            ObjectProvider<GooglePlayVerifier> google, ObjectProvider<StripeWebhooks> stripe) {
        this.tx = tx;
        this.fulfilment = fulfilment;
        this.records = records;
        this.apple = apple;
        this.google = google;
        this.stripe = stripe;
    }

    /** An App Store Server Notification V2 request body ({@code {"signedPayload": ...}}). */
    public Reply apple(String body) {
        AppleVerifier verifier = apple.getIfAvailable();
        if (verifier == null) {
            return notConfigured(Store.APPLE);
        }
        return receive(Store.APPLE, () -> verifier.verifyNotification(body), null);
    }

    /** A Pub/Sub push of a Google Play developer notification, with the secret its URL carried. */
    public Reply google(String body, @Nullable String secret) {
        GooglePlayVerifier verifier = google.getIfAvailable();
        if (verifier == null) {
            return notConfigured(Store.GOOGLE_PLAY);
        }
        return receive(Store.GOOGLE_PLAY, () -> verifier.verifyNotification(body, secret), verifier);
    }

    /** A Stripe webhook delivery: the body's bytes as received and its {@code Stripe-Signature} header. */
    public Reply stripe(byte[] payload, @Nullable String signature) {
        StripeWebhooks webhooks = stripe.getIfAvailable();
        if (webhooks == null) {
            return notConfigured(Store.STRIPE);
        }
        return receive(Store.STRIPE, () -> webhooks.verify(payload, signature), null);
    }

    private Reply receive(Store store, Supplier<StoreNotification> verification, @Nullable GooglePlayVerifier play) {
        StoreNotification n;
        try {
            n = verification.get();
        } catch (StoreException e) {
            if (e.retryable()) {
                log.warn("store {}: a delivery could not be verified now: {}", store.label(), e.getMessage());
                return new Reply(503, e.getMessage());
            }
            records.audit(store, Outcome.REFUSED, e.reason().name(), null, null, null, e.getMessage());
            boolean forbidden = store == Store.GOOGLE_PLAY && e.reason() == StoreException.Reason.BAD_SIGNATURE;
            return new Reply(forbidden ? 403 : 400, e.getMessage());
        }
        List<StoreEvent.Purchased> credited = new ArrayList<>();
        Boolean fresh;
        try {
            fresh = tx.execute(s -> {
                if (!records.firstDelivery(n)) {
                    return false;
                }
                for (StoreEvent event : n.events()) {
                    Fulfilment.Result result = fulfilment.apply(event, n.notificationId());
                    if (result != null && event instanceof StoreEvent.Purchased p) {
                        credited.add(p);
                    }
                }
                return true;
            });
        } catch (RuntimeException e) {
            log.error("store {}: delivery {} ({}) failed and is left for the store to deliver again", store.label(),
                    n.notificationId(), n.type(), e);
            return new Reply(503, "not processed: " + e.getMessage());
        }
        if (!Boolean.TRUE.equals(fresh)) {
            records.audit(store, Outcome.REPLAYED, "REPLAYED", null, null, n.notificationId(), "delivery "
                    + n.notificationId() + " (" + n.type() + ") was processed before; nothing changed");
            return new Reply(200, "already processed");
        }
        if (play != null) {
            for (StoreEvent.Purchased p : credited) {
                try {
                    if (p.kind() == ProductKind.CONSUMABLE) {
                        play.consumeProduct(p.productId(), p.originalTransactionId());
                    } else {
                        play.acknowledgeSubscription(p.productId(), p.originalTransactionId());
                    }
                } catch (StoreException e) {
                    log.warn("store Google Play: {} is credited but was not consumed or acknowledged: {}",
                            p.transactionId(), e.getMessage());
                }
            }
        }
        log.info("store {}: delivery {} ({}) processed, {} event(s)", store.label(), n.notificationId(), n.type(),
                n.events().size());
        return new Reply(200, "processed");
    }

    private static Reply notConfigured(Store store) {
        return new Reply(404, PurchaseException.notConfigured(store).getMessage());
    }
}
