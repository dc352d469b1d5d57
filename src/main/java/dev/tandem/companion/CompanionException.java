package dev.tandem.companion;

import org.jspecify.annotations.Nullable;

/**
 * Why the companion app refused something, for the pages to tell the person: the reason decides the status, the
 * message is shown as it is, and {@link #field()} names the input at fault when there is one.
 */
public class CompanionException extends RuntimeException {

    /** What the caller can do about it. */
    public enum Reason {
        /** Fix the input. */
        INVALID(400),
        /** Sign in first. */
        UNAUTHENTICATED(401),
        /** Not yours, or not for your age. */
        FORBIDDEN(403),
        /** No such thing (or not visible to you). */
        NOT_FOUND(404),
        /** Clashes with what exists. */
        CONFLICT(409),
        /** Too much, too fast. */
        THROTTLED(429),
        /** The model could not answer now; try again. */
        UNAVAILABLE(503);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;
    private final @Nullable String field;

    public CompanionException(Reason reason, String message, @Nullable String field) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public static CompanionException invalid(String field, String message) {
        return new CompanionException(Reason.INVALID, message, field);
    }

    public static CompanionException notFound(String what) {
        return new CompanionException(Reason.NOT_FOUND, what + " was not found.", null);
    }

    public Reason reason() {
        return reason;
    }

    public @Nullable String field() {
        return field;
    }
}
