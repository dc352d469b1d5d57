package dev.tandem.identity;

import java.util.Objects;

/**
 * A person as a member of one organization.
 *
 * @param person         who
 * @param organizationId where
 * @param role           what they may do there
 * @param since          epoch ms when they joined
 */
public record Member(Person person, String organizationId, MemberRole role, long since) {
    public Member {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(role, "role");
    }
}
