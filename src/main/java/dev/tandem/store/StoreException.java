package dev.tandem.store;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The store module's one exception: what a store sent could not be trusted or used. {@link #reason()} says why
 * and {@link #retryable()} whether the same call may succeed later; the message names the field or rule that
 * failed and is safe to log (it never holds keys, secrets or whole tokens).
 */
public class StoreException extends RuntimeException {

    /** Why verification failed, grouped by what the caller can do. */
    public enum Reason {
        /** A signature (JWS, JWT, HMAC, push secret) does not match: answer 400/401, never credit. */
        BAD_SIGNATURE(false),
        /** A certificate chain does not lead to the configured trusted root, or lacks Apple's marker. */
        UNTRUSTED_CERTIFICATE(false),
        /** Signed correctly but for another app (bundle id, package name). */
        WRONG_APP(false),
        /** Signed correctly but from an environment this verifier does not accept (sandbox in production). */
        WRONG_ENVIRONMENT(false),
        /** A timestamp lies outside the allowed tolerance: a replay or a badly skewed clock. */
        STALE(false),
        /** Not the documented shape: not JSON, a field missing or of the wrong type. */
        MALFORMED(false),
        /** The purchase is not paid yet (Google's pending state); it may complete later. */
        PENDING(true),
        /** The store says there is no paid purchase: canceled, unknown or invalid token. */
        NOT_PURCHASED(false),
        /** The store refused our own credentials or request: a configuration error for an operator. */
        MISCONFIGURED(false),
        /** The store could not be reached or failed (timeout, 5xx, 429): retry later. */
        UPSTREAM(true);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Store store;
    private final Reason reason;

    public StoreException(Store store, Reason reason, String message) {
        this(store, reason, message, null);
    }

    public StoreException(Store store, Reason reason, String message, @Nullable Throwable cause) {
        super(Objects.requireNonNull(store, "store").label() + ": " + Objects.requireNonNull(message, "message"),
                cause);
        this.store = store;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Store store() {
        return store;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the same call may succeed later (a store outage, a pending payment). */
    public boolean retryable() {
        return reason.retryable();
    }
}
