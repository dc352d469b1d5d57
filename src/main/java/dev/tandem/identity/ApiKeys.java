package dev.tandem.identity;

import java.util.Optional;

/**
 * Authenticates API keys. Secrets are stored only as SHA-256 hashes; a successful lookup is cached for a short
 * time so that authentication costs one hash and one map lookup on the hot path. Thread-safe.
 */
public interface ApiKeys {

    /** The principal of a valid, unrevoked key; empty for anything else. Never throws for a bad secret. */
    Optional<ApiKeyPrincipal> authenticate(String secret);
}
