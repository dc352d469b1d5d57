package dev.tandem.identity;

import java.util.Objects;

/**
 * Who is calling: the API key that authenticated a request and the organization it belongs to.
 *
 * @param keyId          the key's id (never its secret)
 * @param organizationId the organization billed for the call
 * @param keyName        the key's display name
 * @param prefix         the visible start of the secret, for logs and lists
 * @param admin          whether the key may manage the platform
 */
public record ApiKeyPrincipal(String keyId, String organizationId, String keyName, String prefix, boolean admin) {
    public ApiKeyPrincipal {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(prefix, "prefix");
    }
}
