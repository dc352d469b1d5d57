package dev.tandem.identity;

import java.util.Objects;

/**
 * A key just made: its secret, shown this once and never stored.
 *
 * @param info   the key
 * @param secret the secret to give to its user
 */
public record CreatedKey(ApiKeyInfo info, String secret) {
    public CreatedKey {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "CreatedKey[" + info.id() + ", secret hidden]";
    }
}
