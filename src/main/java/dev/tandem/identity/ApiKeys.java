package dev.tandem.identity;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * API keys: authenticated on every call, managed by admins. Secrets are stored only as SHA-256 hashes; a
 * successful lookup is cached for a short time (revocation reaches this node at once, other nodes within
 * {@code TANDEM_KEY_CACHE_TTL}). Thread-safe.
 */
public interface ApiKeys {

    /** The principal of a valid, unrevoked, unexpired key; empty for anything else. Never throws for a bad secret. */
    Optional<ApiKeyPrincipal> authenticate(String secret);

    /**
     * The principal of a valid, unrevoked, unexpired key found by its id, for callers inside Tandem that hold no
     * secret (the companion app calling the platform in-process as its own organization); never for requests.
     */
    Optional<ApiKeyPrincipal> principal(String keyId);

    /**
     * Makes a key for {@code organizationId}; the secret is in the result only.
     *
     * @param createdBy the person or key that asks for it, kept with the key (null: unknown)
     */
    CreatedKey create(String organizationId, KeySpec spec, @Nullable String createdBy);

    List<ApiKeyInfo> list(String organizationId);

    Optional<ApiKeyInfo> find(String organizationId, String keyId);

    /** Changes what a key may do (its secret stays). */
    Optional<ApiKeyInfo> update(String organizationId, String keyId, KeySpec spec);

    /** Revokes a key; false when there is no such valid key in that organization. */
    boolean revoke(String organizationId, String keyId);

    /** Replaces a key by a new one with the same settings and maker, and revokes the old one. */
    Optional<CreatedKey> rotate(String organizationId, String keyId);
}
