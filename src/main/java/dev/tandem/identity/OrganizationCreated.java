package dev.tandem.identity;

import java.util.Objects;

/**
 * Published when an organization is created, synchronously, inside the transaction that creates it.
 *
 * @param organizationId the new organization
 * @param name           its display name
 * @param owner          true for the platform owner's organization (created on first start)
 */
public record OrganizationCreated(String organizationId, String name, boolean owner) {
    public OrganizationCreated {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(name, "name");
    }
}
