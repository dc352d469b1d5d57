package dev.tandem.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One payment as its buyer sees it in their history.
 *
 * @param id            our id of the record
 * @param transactionId the store's id of the payment
 * @param productId     our product, or null for a refund of something never credited here
 * @param productName   what the shop calls it (its id when it is no longer sold)
 * @param kind          pack or membership; null when unknown
 * @param gems          paid gems credited (0 for a membership)
 * @param price         the catalog price paid, all units together; null for a refund of a payment never credited
 *                      here (its price was never known)
 * @param overLimit     it exceeded the buyer's limits when verified, and was credited because money had moved
 * @param revokeReason  REFUND, CHARGEBACK or ACCESS_REVOKED once revoked
 */
public record Purchase(String id, Store store, String transactionId, @Nullable String productId, String productName,
        @Nullable ProductKind kind, int quantity, long gems, @Nullable Amount price, StoreEnvironment environment, Status status,
        boolean overLimit, Instant purchasedAt, @Nullable Instant revokedAt, @Nullable String revokeReason) {

    /** What became of it. */
    public enum Status {
        /** Gems or membership given. */
        CREDITED,
        /** Given, then taken back (refund, chargeback, revocation). */
        REVOKED,
        /** Refunded before it was ever credited: it never will be. */
        VOID
    }
}
