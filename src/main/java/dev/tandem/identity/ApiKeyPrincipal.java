package dev.tandem.identity;

import java.util.List;
import java.util.Objects;

/**
 * Who is calling: the API key that authenticated a request, the organization it belongs to, and what it may do.
 *
 * @param keyId          the key's id (never its secret)
 * @param organizationId the organization billed for the call
 * @param keyName        the key's display name
 * @param prefix         the visible start of the secret, for logs and lists
 * @param role           developer or admin
 * @param owner          true when the organization is the platform owner's
 * @param spec           the key's limits and allow-lists
 * @param organizationModels the models its organization may call (empty: all)
 * @param allowFallbacks whether its organization lets fallback models answer by default
 * @param priorityTier   whether its organization's calls may go ahead of others' where a model is busy
 */
public record ApiKeyPrincipal(String keyId, String organizationId, String keyName, String prefix, KeyRole role,
        boolean owner, KeySpec spec, List<String> organizationModels, boolean allowFallbacks, boolean priorityTier) {

    public ApiKeyPrincipal {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(spec, "spec");
        organizationModels = List.copyOf(organizationModels);
    }

    /** May manage its organization. */
    public boolean admin() {
        return role == KeyRole.ADMIN;
    }

    /** May manage the whole platform (every organization). */
    public boolean platformAdmin() {
        return owner && role == KeyRole.ADMIN;
    }

    /** May call {@code model}: both the key's and the organization's allow-lists (empty: all) let it. */
    public boolean mayUse(String model) {
        return (spec.models().isEmpty() || spec.models().contains(model))
                && (organizationModels.isEmpty() || organizationModels.contains(model));
    }
}
