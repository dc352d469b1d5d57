package dev.tandem.billing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Prepaid credit in the form of codes: the platform admin makes them in batches (each code shown once, stored
 * only as a hash with its first characters visible), lists and revokes them; an organization redeems one for its
 * batch's amount. A code is redeemed at most once: the check and the credit are one database transaction, and
 * two organizations racing for one code on any number of nodes credit it once. Redeeming again by the same
 * organization is answered as the first redemption was (a retry is safe). Thread-safe.
 */
public interface RedemptionCodes {

    /** The most codes one batch may hold. */
    int MAX_BATCH = 1_000;

    /**
     * Makes {@code count} codes worth {@code amount} micro-units each.
     *
     * @param expiresAt epoch ms after which the codes can no longer be redeemed, or null for never
     * @param createdBy the API key that made them, for the record
     * @throws IllegalArgumentException for a count outside 1 to {@link #MAX_BATCH} or a non-positive amount
     */
    Created create(int count, long amount, @Nullable Long expiresAt, @Nullable String memo, String createdBy);

    /** Every batch, newest first. */
    List<Batch> batches();

    Optional<Batch> batch(String batchId);

    /** The codes of a batch (never the codes themselves: their ids and visible prefixes). */
    List<Code> codes(String batchId);

    /**
     * Revokes the unused codes of a batch: those in {@code codeIds}, or all when it is empty.
     *
     * @return how many were revoked
     */
    int revoke(String batchId, Set<String> codeIds);

    /** Redeems {@code code} (any case, dashes and spaces ignored) for {@code organizationId}. */
    Redemption redeem(String organizationId, String code);

    /** A new batch and its codes in full: the only time they are shown. */
    record Created(Batch batch, List<String> codes) {
    }

    /**
     * A batch of codes.
     *
     * @param unused   codes that can still be redeemed (not expired)
     * @param redeemed codes redeemed
     * @param revoked  codes revoked
     * @param expired  codes neither redeemed nor revoked whose batch expired
     */
    record Batch(String id, long amount, int count, @Nullable Long expiresAt, @Nullable String memo, String createdBy,
            long createdAt, int unused, int redeemed, int revoked, int expired) {
        public Batch {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(createdBy, "createdBy");
        }
    }

    /**
     * One code, without its secret part.
     *
     * @param status {@code unused}, {@code redeemed}, {@code revoked} or {@code expired}
     */
    record Code(String id, String prefix, String status, @Nullable String organizationId, @Nullable Long redeemedAt,
            @Nullable Long revokedAt) {
    }
}
