package dev.tandem.billing;

/** How redeeming a code ended: credited, or why not. */
public sealed interface Redemption {

    /**
     * The code's amount was added to the organization's credits, in one ledger transaction.
     *
     * @param codeId     the code's id
     * @param prefix     the code's visible start
     * @param amount     micro-units credited
     * @param balance    the organization's credit balance afterwards (as {@link Billing#balance})
     * @param redeemedAt epoch ms
     * @param replayed   true when this organization had redeemed the code before: nothing new was credited
     */
    record Redeemed(String codeId, String prefix, long amount, long balance, long redeemedAt, boolean replayed)
            implements Redemption {
    }

    /** No code matches. */
    record Unknown() implements Redemption {
    }

    /** Another organization redeemed it first. */
    record TakenByAnother(long redeemedAt) implements Redemption {
    }

    /** The platform admin revoked it. */
    record Revoked(long revokedAt) implements Redemption {
    }

    /** It expired before it was redeemed. */
    record Expired(long expiredAt) implements Redemption {
    }
}
