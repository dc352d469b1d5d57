package dev.tandem.identity;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An API key as listed: everything but its secret.
 *
 * @param id             the key's id
 * @param organizationId its organization
 * @param prefix         the visible start of the secret
 * @param spec           what it may do
 * @param createdAt      epoch ms
 * @param revokedAt      epoch ms, or null while valid
 * @param lastUsedAt     epoch ms of the last authenticated call (updated within a minute), or null
 * @param createdBy      the person ({@code psn_…}) or key ({@code key_…}) that made it, or null when unknown
 */
public record ApiKeyInfo(String id, String organizationId, String prefix, KeySpec spec, long createdAt,
        @Nullable Long revokedAt, @Nullable Long lastUsedAt, @Nullable String createdBy) {
    public ApiKeyInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(spec, "spec");
    }
}
