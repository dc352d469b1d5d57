package dev.tandem.identity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed-in person, as one request sees them.
 *
 * @param sessionId   the session's id (not its token)
 * @param person      who signed in
 * @param csrfToken   what every state-changing request of this session must carry
 * @param memberships where the person belongs
 * @param expiresAt   epoch ms when the session ends at the latest
 */
public record ConsoleSession(String sessionId, Person person, String csrfToken, List<Membership> memberships,
        long expiresAt) {

    public ConsoleSession {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(csrfToken, "csrfToken");
        memberships = List.copyOf(memberships);
    }

    /** The person's role in {@code organizationId}; empty when they do not belong to it. */
    public Optional<MemberRole> roleIn(String organizationId) {
        return memberships.stream().filter(m -> m.organizationId().equals(organizationId)).map(Membership::role)
                .findFirst();
    }

    /**
     * The role the person acts with in {@code organizationId}: {@link MemberRole#OWNER} everywhere for a platform
     * admin, else their membership's; empty when they have no part in it (it must look like it does not exist).
     */
    public Optional<MemberRole> actingRoleIn(String organizationId) {
        return platformAdmin() ? Optional.of(MemberRole.OWNER) : roleIn(organizationId);
    }

    /** True for an owner or admin of the platform owner's organization: they manage every organization. */
    public boolean platformAdmin() {
        return memberships.stream().anyMatch(m -> m.ownerOrganization()
                && (m.role() == MemberRole.OWNER || m.role() == MemberRole.ADMIN));
    }
}
