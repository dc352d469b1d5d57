package dev.tandem.identity;

import java.util.List;
import java.util.Optional;

/** Organizations: created by the platform owner, listed, looked up. Thread-safe. */
public interface Organizations {

    /** Creates an organization and publishes {@link OrganizationCreated}. */
    Organization create(String name);

    Optional<Organization> find(String id);

    List<Organization> list();

    /**
     * Sets which models the organization may call (empty: all) and whether fallbacks may answer for them. Keys
     * see the change once their cached verification expires ({@code TANDEM_KEY_CACHE_TTL}).
     */
    Organization updateAccess(String id, List<String> models, boolean allowFallbacks, boolean priorityTier);
}
