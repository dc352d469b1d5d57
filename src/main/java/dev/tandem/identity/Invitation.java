package dev.tandem.identity;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An invitation to join an organization with a role, valid until accepted, revoked or expired (seven days).
 *
 * @param id             its id ({@code inv_…})
 * @param organizationId the organization
 * @param email          who is invited
 * @param role           the role they get
 * @param invitedBy      the person or key that invited ({@code psn_…} or {@code key_…})
 * @param createdAt      epoch ms
 * @param expiresAt      epoch ms
 * @param acceptedAt     epoch ms, or null
 * @param revokedAt      epoch ms, or null
 */
public record Invitation(String id, String organizationId, String email, MemberRole role, String invitedBy,
        long createdAt, long expiresAt, @Nullable Long acceptedAt, @Nullable Long revokedAt) {
    public Invitation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(invitedBy, "invitedBy");
    }

    /** {@code pending}, {@code accepted}, {@code revoked} or {@code expired} at {@code now} (epoch ms). */
    public String status(long now) {
        if (acceptedAt != null) {
            return "accepted";
        }
        if (revokedAt != null) {
            return "revoked";
        }
        return now >= expiresAt ? "expired" : "pending";
    }
}
