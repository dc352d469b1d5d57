package dev.tandem.identity;

import java.util.List;
import java.util.Objects;

/**
 * An organization (a MiniMax "group"): who pays for calls and owns keys.
 *
 * @param id        its id
 * @param name      display name
 * @param owner     true for the platform owner's organization
 * @param createdAt epoch ms
 * @param models         the models its keys may call (empty: every model of the catalog)
 * @param allowFallbacks whether a model's fallbacks may answer its calls while it is out of service
 * @param priorityTier   whether its calls may go ahead of others' where a model is busy (set by the platform owner)
 */
public record Organization(String id, String name, boolean owner, long createdAt, List<String> models,
        boolean allowFallbacks, boolean priorityTier) {
    public Organization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        models = List.copyOf(models);
    }

    /** An organization with no model restriction, no fallbacks and no priority. */
    public Organization(String id, String name, boolean owner, long createdAt) {
        this(id, name, owner, createdAt, List.of(), false, false);
    }
}
