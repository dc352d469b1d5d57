package dev.tandem.gacha;

import org.jspecify.annotations.Nullable;

/**
 * Why the gacha refused something, for pages and the management API to tell the caller: the reason decides the
 * status, the message is shown as it is, and {@link #field()} names the input at fault when there is one.
 */
public class GachaException extends RuntimeException {

    /** What the caller can do about it. */
    public enum Reason {
        /** Fix the input. */
        INVALID(400),
        /** Not enough gems or shards: earn or buy more first. */
        INSUFFICIENT(402),
        /** Not yours, or not for your age. */
        FORBIDDEN(403),
        /** No such thing (or not visible to you). */
        NOT_FOUND(404),
        /** Clashes with the state of things: a banner that ended, a key used for another draw, a rotated seed. */
        CONFLICT(409);

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

    public GachaException(Reason reason, String message, @Nullable String field) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public static GachaException invalid(String field, String message) {
        return new GachaException(Reason.INVALID, message, field);
    }

    public static GachaException notFound(String what) {
        return new GachaException(Reason.NOT_FOUND, what + " was not found.", null);
    }

    public static GachaException conflict(String message) {
        return new GachaException(Reason.CONFLICT, message, null);
    }

    public Reason reason() {
        return reason;
    }

    public @Nullable String field() {
        return field;
    }
}
