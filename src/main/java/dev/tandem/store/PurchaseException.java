package dev.tandem.store;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a purchase was refused, for the app or the shop page to tell the person: {@link #reason()} decides the HTTP
 * status and whether to try again, and the message is written for the buyer ("You are 15: purchases are limited
 * to ¥200 a month; ¥180 spent this month, ¥20 left."). It never holds secrets or whole receipts.
 */
public class PurchaseException extends RuntimeException {

    /** What went wrong, grouped by what the caller can do. */
    public enum Reason {
        /** The store is not configured here, or the product is not sold through it: 404. */
        NOT_AVAILABLE(404, false),
        /** No such product in the catalog: 404. */
        UNKNOWN_PRODUCT(404, false),
        /** A field is missing or malformed: 400. */
        INVALID(400, false),
        /** What the store sent could not be trusted (signature, chain, app, environment, shape): 400. */
        UNTRUSTED(400, false),
        /** The purchase names another account than the signed-in person's: 403. */
        NOT_YOURS(403, false),
        /** A refund left the person's paid gems negative: no purchases until that is settled: 403. */
        IN_DEBT(403, false),
        /** The person has this membership already, with perks: 409. */
        ALREADY_MEMBER(409, false),
        /** A membership perk, and the person has no membership with it now: 403. */
        NOT_MEMBER(403, false),
        /** Over a spending limit (age, or the person's own monthly cap): 403. */
        OVER_LIMIT(403, false),
        /** This transaction was submitted before; nothing was credited now: 409. */
        REPLAYED(409, false),
        /** The store refunded or revoked this purchase, or says it is not paid: 409. */
        NOT_PAID(409, false),
        /** Payment is pending at the store; submit again when it completes: 202. */
        PENDING(202, true),
        /** The store could not be reached or failed: 503, try again. */
        UPSTREAM(503, true);

        private final int status;
        private final boolean retryable;

        Reason(int status, boolean retryable) {
            this.status = status;
            this.retryable = retryable;
        }

        /** The HTTP status to answer with. */
        public int status() {
            return status;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Reason reason;
    private final @Nullable Store store;

    public PurchaseException(Reason reason, @Nullable Store store, String message) {
        this(reason, store, message, null);
    }

    public PurchaseException(Reason reason, @Nullable Store store, String message, @Nullable Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.store = store;
    }

    /** A store that is not configured here: "not available: store Google Play is not configured". */
    public static PurchaseException notConfigured(Store store) {
        return new PurchaseException(Reason.NOT_AVAILABLE, store, "not available: store " + store.label()
                + " is not configured");
    }

    public Reason reason() {
        return reason;
    }

    /** The store concerned, or null for a refusal that is not about one store. */
    public @Nullable Store store() {
        return store;
    }
}
