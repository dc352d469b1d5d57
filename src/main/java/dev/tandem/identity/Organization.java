package dev.tandem.identity;

import java.util.Objects;

/**
 * An organization (a MiniMax "group"): who pays for calls and owns keys.
 *
 * @param id        its id
 * @param name      display name
 * @param owner     true for the platform owner's organization
 * @param createdAt epoch ms
 */
public record Organization(String id, String name, boolean owner, long createdAt) {
    public Organization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
