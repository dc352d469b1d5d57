package dev.tandem.identity;

import java.util.List;
import java.util.Optional;

/** Organizations: created by the platform owner, listed, looked up. Thread-safe. */
public interface Organizations {

    /** Creates an organization and publishes {@link OrganizationCreated}. */
    Organization create(String name);

    Optional<Organization> find(String id);

    List<Organization> list();
}
