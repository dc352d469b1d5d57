package dev.tandem.identity;

import java.util.Objects;

/**
 * One organization a person belongs to, as their session sees it.
 *
 * @param organizationId   the organization
 * @param organizationName its display name
 * @param role             the person's role there
 * @param ownerOrganization true for the platform owner's organization
 */
public record Membership(String organizationId, String organizationName, MemberRole role, boolean ownerOrganization) {
    public Membership {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(role, "role");
    }
}
