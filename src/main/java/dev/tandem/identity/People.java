package dev.tandem.identity;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * People, their memberships in organizations, and invitations. The methods that change memberships take the role
 * the caller acts with ({@code actingAs}; an admin API key acts as {@link MemberRole#OWNER} of its organization)
 * and enforce the rules of {@link MemberRole}: only an owner grants or touches the owner role, and an
 * organization never loses its last owner, even when two changes race. Thread-safe.
 *
 * @throws IdentityException from every method that changes something, with the reason and the field at fault
 */
public interface People {

    Optional<Person> find(String personId);

    /** The person with this address, whatever its case. */
    Optional<Person> findByEmail(String email);

    /** The organization's members, oldest first. */
    List<Member> members(String organizationId);

    Optional<Member> member(String organizationId, String personId);

    /** Where {@code personId} belongs, by organization name. */
    List<Membership> memberships(String personId);

    /**
     * Invites {@code email} with {@code role}; an earlier pending invitation of the same address to the same
     * organization is revoked. The token is in the result only.
     *
     * @throws IdentityException CONFLICT when the address already belongs to a member
     */
    CreatedInvitation invite(String organizationId, String email, MemberRole role, MemberRole actingAs,
            String invitedBy);

    /** The pending invitation of {@code token}; empty for an unknown, used, revoked or expired one. */
    Optional<Invitation> pendingInvitation(String token);

    /** The organization's pending invitations, newest first. */
    List<Invitation> invitations(String organizationId);

    /** Revokes a pending invitation; false when there is no such pending invitation in that organization. */
    boolean revokeInvitation(String organizationId, String invitationId, MemberRole actingAs);

    /**
     * Accepts an invitation: makes the person (with {@code name} and {@code password}) or, when the address has
     * one already, checks that person's password and adds the membership. Single use.
     *
     * @throws IdentityException NOT_FOUND for an unknown, used, revoked or expired token (one message for all);
     *                           UNAUTHENTICATED when an existing person's password does not match
     */
    Member accept(String token, @Nullable String name, String password);

    /** Changes a member's role; refuses to demote the last owner. */
    Member changeRole(String organizationId, String personId, MemberRole role, MemberRole actingAs);

    /** Removes a member; refuses to remove the last owner. */
    void remove(String organizationId, String personId, MemberRole actingAs);

    /**
     * Replaces a person's password after checking the current one; their other sessions end.
     *
     * @param keepSessionId the session that asked, which stays signed in (null: none stays)
     */
    void changePassword(String personId, String currentPassword, String newPassword, @Nullable String keepSessionId);

    /**
     * Makes a person who belongs to no organization (someone signing up to the companion app).
     *
     * @throws IdentityException INVALID for a bad address, name or password; CONFLICT when the address has an
     *                           account already
     */
    Person register(String email, String name, String password);

    /**
     * Closes a person's account for good: they can no longer sign in, their sessions end, and their address and
     * name are replaced so the address may sign up again. Memberships end too; an organization's last owner
     * cannot close their account (CONFLICT) until someone else is an owner.
     */
    void close(String personId);
}
