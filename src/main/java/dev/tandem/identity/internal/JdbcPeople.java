package dev.tandem.identity.internal;

import dev.tandem.identity.Ids;
import dev.tandem.identity.CreatedInvitation;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.IdentityException.Reason;
import dev.tandem.identity.Invitation;
import dev.tandem.identity.Member;
import dev.tandem.identity.MemberRole;
import dev.tandem.identity.Membership;
import dev.tandem.identity.People;
import dev.tandem.identity.Permission;
import dev.tandem.identity.Person;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link People} over the {@code people}, {@code memberships} and {@code invitations} tables. */
@Component
class JdbcPeople implements People {

    static final Duration INVITATION_LIFETIME = Duration.ofDays(7);
    private static final String PERSON = "p.id, p.email, p.display_name, p.disabled, p.created_at";
    private static final String INVITATION = "id, organization_id, email, role, invited_by, created_at, expires_at, "
            + "accepted_at, revoked_at";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Passwords passwords;
    private final SignInFailures failures;

    JdbcPeople(JdbcClient jdbc, TransactionTemplate tx, Clock clock, Passwords passwords, SignInFailures failures) {
        this.failures = failures;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.passwords = passwords;
    }

    @Override
    public Optional<Person> find(String personId) {
        return jdbc.sql("SELECT " + PERSON + " FROM people p WHERE p.id = :id").param("id", personId)
                .query((rs, i) -> person(rs)).optional();
    }

    @Override
    public Optional<Person> findByEmail(String email) {
        return jdbc.sql("SELECT " + PERSON + " FROM people p WHERE p.email_key = :k")
                .param("k", Passwords.emailKey(email)).query((rs, i) -> person(rs)).optional();
    }

    /** The stored hash of a person's password, for sign-in. */
    Optional<Credentials> credentials(String email) {
        return jdbc.sql("SELECT " + PERSON + ", p.password_hash FROM people p WHERE p.email_key = :k")
                .param("k", Passwords.emailKey(email))
                .query((rs, i) -> new Credentials(person(rs), rs.getString("password_hash"))).optional();
    }

    record Credentials(Person person, String passwordHash) {
    }

    @Override
    public List<Member> members(String organizationId) {
        return jdbc.sql("SELECT " + PERSON + ", m.organization_id, m.role, m.created_at AS since FROM memberships m "
                        + "JOIN people p ON p.id = m.person_id WHERE m.organization_id = :org ORDER BY m.created_at, p.id")
                .param("org", organizationId).query((rs, i) -> member(rs)).list();
    }

    @Override
    public Optional<Member> member(String organizationId, String personId) {
        return jdbc.sql("SELECT " + PERSON + ", m.organization_id, m.role, m.created_at AS since FROM memberships m "
                        + "JOIN people p ON p.id = m.person_id WHERE m.organization_id = :org AND m.person_id = :p")
                .param("org", organizationId).param("p", personId).query((rs, i) -> member(rs)).optional();
    }

    @Override
    public List<Membership> memberships(String personId) {
        return jdbc.sql("SELECT m.organization_id, o.name, m.role, o.is_owner FROM memberships m "
                        + "JOIN organizations o ON o.id = m.organization_id WHERE m.person_id = :p ORDER BY o.name, o.id")
                .param("p", personId)
                .query((rs, i) -> new Membership(rs.getString(1), rs.getString(2), MemberRole.parse(rs.getString(3)),
                        rs.getInt(4) == 1))
                .list();
    }

    @Override
    public CreatedInvitation invite(String organizationId, String email, MemberRole role, MemberRole actingAs,
            String invitedBy) {
        requireManager(actingAs);
        if (role == MemberRole.OWNER && actingAs != MemberRole.OWNER) {
            throw onlyOwners();
        }
        String address = Passwords.email("email", email);
        String key = Passwords.emailKey(address);
        String token = "tdi_" + Ids.random(40);
        String id = Ids.next("inv");
        long now = clock.millis();
        long expires = now + INVITATION_LIFETIME.toMillis();
        tx.executeWithoutResult(s -> {
            boolean member = jdbc.sql("SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id "
                            + "WHERE m.organization_id = :org AND p.email_key = :k")
                    .param("org", organizationId).param("k", key).query(Long.class).single() > 0;
            if (member) {
                throw new IdentityException(Reason.CONFLICT, address + " is already a member of this organization; "
                        + "change their role instead.", "email");
            }
            jdbc.sql("UPDATE invitations SET revoked_at = :now WHERE organization_id = :org AND email_key = :k "
                            + "AND accepted_at IS NULL AND revoked_at IS NULL")
                    .param("now", now).param("org", organizationId).param("k", key).update();
            jdbc.sql("""
                            INSERT INTO invitations (id, organization_id, email, email_key, role, token_hash, invited_by,
                                created_at, expires_at)
                            VALUES (:id, :org, :email, :k, :role, :hash, :by, :now, :expires)""")
                    .param("id", id).param("org", organizationId).param("email", address).param("k", key)
                    .param("role", role.wire()).param("hash", SecretKeys.hash(token)).param("by", invitedBy)
                    .param("now", now).param("expires", expires).update();
        });
        return new CreatedInvitation(new Invitation(id, organizationId, address, role, invitedBy, now, expires, null,
                null), token);
    }

    @Override
    public Optional<Invitation> pendingInvitation(String token) {
        if (token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        long now = clock.millis();
        return jdbc.sql("SELECT " + INVITATION + " FROM invitations WHERE token_hash = :h")
                .param("h", SecretKeys.hash(token.strip())).query((rs, i) -> invitation(rs)).optional()
                .filter(inv -> inv.status(now).equals("pending"));
    }

    @Override
    public List<Invitation> invitations(String organizationId) {
        return jdbc.sql("SELECT " + INVITATION + " FROM invitations WHERE organization_id = :org "
                        + "AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > :now ORDER BY created_at DESC")
                .param("org", organizationId).param("now", clock.millis()).query((rs, i) -> invitation(rs)).list();
    }

    @Override
    public boolean revokeInvitation(String organizationId, String invitationId, MemberRole actingAs) {
        requireManager(actingAs);
        Optional<Invitation> invitation = jdbc.sql("SELECT " + INVITATION + " FROM invitations "
                        + "WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", invitationId).query((rs, i) -> invitation(rs)).optional();
        if (invitation.isEmpty()) {
            return false;
        }
        if (invitation.get().role() == MemberRole.OWNER && actingAs != MemberRole.OWNER) {
            throw onlyOwners();
        }
        return jdbc.sql("UPDATE invitations SET revoked_at = :now WHERE organization_id = :org AND id = :id "
                        + "AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > :now")
                .param("now", clock.millis()).param("org", organizationId).param("id", invitationId).update() > 0;
    }

    @Override
    public Member accept(String token, @Nullable String name, String password) {
        long now = clock.millis();
        IdentityException invalid = new IdentityException(Reason.NOT_FOUND,
                "This invitation is not valid: it may have expired, been used or been revoked.", "token");
        Invitation invitation = pendingInvitation(token).orElseThrow(() -> invalid);
        Optional<Credentials> existing = credentials(invitation.email());
        String newHash;
        String displayName;
        if (existing.isPresent()) {
            String subject = SignInFailures.email(invitation.email());
            failures.check(subject, null);
            if (existing.get().person().disabled() || !passwords.matches(password, existing.get().passwordHash())) {
                failures.failed(subject);
                throw new IdentityException(Reason.UNAUTHENTICATED, invitation.email() + " already has an account: "
                        + "enter its password to join.", "password");
            }
            newHash = null;
            displayName = existing.get().person().name();
        } else {
            displayName = name(name);
            newHash = passwords.hash(password); // outside the transaction: it takes tens of milliseconds
        }
        return tx.execute(s -> {
            int claimed = jdbc.sql("UPDATE invitations SET accepted_at = :now WHERE id = :id AND accepted_at IS NULL "
                            + "AND revoked_at IS NULL AND expires_at > :now")
                    .param("now", now).param("id", invitation.id()).update();
            if (claimed == 0) {
                throw invalid;
            }
            String personId;
            if (newHash != null) {
                personId = insertPerson(invitation.email(), displayName, newHash, now);
            } else {
                personId = existing.get().person().id();
            }
            if (member(invitation.organizationId(), personId).isPresent()) {
                throw new IdentityException(Reason.CONFLICT, invitation.email() + " is already a member of this "
                        + "organization.", "token");
            }
            insertMembership(personId, invitation.organizationId(), invitation.role(), now);
            return member(invitation.organizationId(), personId).orElseThrow();
        });
    }

    @Override
    public Member changeRole(String organizationId, String personId, MemberRole role, MemberRole actingAs) {
        requireManager(actingAs);
        return tx.execute(s -> {
            Member current = lockedMember(organizationId, personId);
            if ((current.role() == MemberRole.OWNER || role == MemberRole.OWNER) && actingAs != MemberRole.OWNER
                    && current.role() != role) {
                throw onlyOwners();
            }
            if (current.role() == MemberRole.OWNER && role != MemberRole.OWNER) {
                requireAnotherOwner(organizationId, current);
            }
            jdbc.sql("UPDATE memberships SET role = :role WHERE organization_id = :org AND person_id = :p")
                    .param("role", role.wire()).param("org", organizationId).param("p", personId).update();
            return member(organizationId, personId).orElseThrow();
        });
    }

    @Override
    public void remove(String organizationId, String personId, MemberRole actingAs) {
        requireManager(actingAs);
        tx.executeWithoutResult(s -> {
            Member current = lockedMember(organizationId, personId);
            if (current.role() == MemberRole.OWNER) {
                if (actingAs != MemberRole.OWNER) {
                    throw onlyOwners();
                }
                requireAnotherOwner(organizationId, current);
            }
            jdbc.sql("DELETE FROM memberships WHERE organization_id = :org AND person_id = :p")
                    .param("org", organizationId).param("p", personId).update();
        });
    }

    @Override
    public void changePassword(String personId, String currentPassword, String newPassword,
            @Nullable String keepSessionId) {
        Person person = find(personId).orElseThrow(() -> new IdentityException(Reason.NOT_FOUND, "No such person.",
                null));
        String hash = credentials(person.email()).map(Credentials::passwordHash).orElse(null);
        String subject = SignInFailures.email(person.email());
        failures.check(subject, null);
        if (!passwords.matches(currentPassword, hash)) {
            failures.failed(subject);
            throw new IdentityException(Reason.UNAUTHENTICATED, "The current password is not correct.",
                    "current_password");
        }
        String newHash = passwords.hash(newPassword);
        tx.executeWithoutResult(s -> {
            jdbc.sql("UPDATE people SET password_hash = :h WHERE id = :id").param("h", newHash).param("id", personId)
                    .update();
            jdbc.sql("DELETE FROM console_sessions WHERE person_id = :p AND id <> :keep").param("p", personId)
                    .param("keep", keepSessionId == null ? "" : keepSessionId).update();
        });
    }

    @Override
    public Person register(String email, String name, String password) {
        String address = Passwords.email("email", email);
        String displayName = name(name);
        Passwords.check(password);
        String hash = passwords.hash(password); // outside the transaction: it takes tens of milliseconds
        String id = tx.execute(s -> insertPerson(address, displayName, hash, clock.millis()));
        return find(id).orElseThrow();
    }

    @Override
    public void close(String personId) {
        tx.executeWithoutResult(s -> {
            for (Membership m : memberships(personId)) {
                if (m.role() == MemberRole.OWNER) {
                    lockedMember(m.organizationId(), personId); // two owners closing at once: one after the other
                    long owners = jdbc.sql("SELECT COUNT(*) FROM memberships WHERE organization_id = :org "
                            + "AND role = 'owner'").param("org", m.organizationId()).query(Long.class).single();
                    if (owners <= 1) {
                        throw new IdentityException(Reason.CONFLICT, "You are the last owner of " + m.organizationName()
                                + "; make someone else an owner before closing your account.", null);
                    }
                }
            }
            jdbc.sql("DELETE FROM memberships WHERE person_id = :p").param("p", personId).update();
            jdbc.sql("DELETE FROM console_sessions WHERE person_id = :p").param("p", personId).update();
            String gone = "closed+" + personId + "@invalid";
            jdbc.sql("UPDATE people SET email = :e, email_key = :k, display_name = 'Deleted account', "
                            + "password_hash = '!', disabled = 1 WHERE id = :p")
                    .param("e", gone).param("k", Passwords.emailKey(gone)).param("p", personId).update();
        });
    }

    // ---- used by the owner bootstrap

    /** Makes a person (the caller holds a transaction). */
    String insertPerson(String email, String name, String passwordHash, long now) {
        String id = Ids.next("psn");
        try {
            jdbc.sql("INSERT INTO people (id, email, email_key, display_name, password_hash, disabled, created_at) "
                            + "VALUES (:id, :email, :k, :name, :hash, 0, :now)")
                    .param("id", id).param("email", email).param("k", Passwords.emailKey(email)).param("name", name)
                    .param("hash", passwordHash).param("now", now).update();
        } catch (DuplicateKeyException e) {
            throw new IdentityException(Reason.CONFLICT, email + " already has an account.", "email");
        }
        return id;
    }

    void insertMembership(String personId, String organizationId, MemberRole role, long now) {
        jdbc.sql("INSERT INTO memberships (person_id, organization_id, role, created_at) VALUES (:p, :org, :role, :now)")
                .param("p", personId).param("org", organizationId).param("role", role.wire()).param("now", now)
                .update();
    }

    // ---- rules

    /**
     * The member, with the organization's row locked so that concurrent role changes are serialized (the
     * last-owner check would otherwise race: two owners demoting each other).
     */
    private Member lockedMember(String organizationId, String personId) {
        jdbc.sql("UPDATE organizations SET name = name WHERE id = :org").param("org", organizationId).update();
        return member(organizationId, personId).orElseThrow(() -> new IdentityException(Reason.NOT_FOUND,
                "No member '" + personId + "' in this organization.", "person"));
    }

    private void requireAnotherOwner(String organizationId, Member current) {
        long owners = jdbc.sql("SELECT COUNT(*) FROM memberships WHERE organization_id = :org AND role = 'owner'")
                .param("org", organizationId).query(Long.class).single();
        if (owners <= 1) {
            throw new IdentityException(Reason.CONFLICT, current.person().email() + " is the last owner of this "
                    + "organization; make someone else an owner first.", "role");
        }
    }

    private static void requireManager(MemberRole actingAs) {
        if (!actingAs.permits(Permission.MANAGE_MEMBERS)) {
            throw new IdentityException(Reason.FORBIDDEN, "Managing members needs the owner or admin role.", null);
        }
    }

    private static IdentityException onlyOwners() {
        return new IdentityException(Reason.FORBIDDEN, "Only an owner can grant the owner role or change or remove "
                + "an owner.", "role");
    }

    static String name(@Nullable String name) {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            throw IdentityException.invalid("name", "1 to 200 characters");
        }
        return name.strip();
    }

    private static Person person(ResultSet rs) throws SQLException {
        return new Person(rs.getString("id"), rs.getString("email"), rs.getString("display_name"),
                rs.getInt("disabled") == 1, rs.getLong("created_at"));
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(person(rs), rs.getString("organization_id"), MemberRole.parse(rs.getString("role")),
                rs.getLong("since"));
    }

    private static Invitation invitation(ResultSet rs) throws SQLException {
        long accepted = rs.getLong("accepted_at");
        Long acceptedAt = rs.wasNull() ? null : accepted;
        long revoked = rs.getLong("revoked_at");
        Long revokedAt = rs.wasNull() ? null : revoked;
        return new Invitation(rs.getString("id"), rs.getString("organization_id"), rs.getString("email"),
                MemberRole.parse(rs.getString("role")), rs.getString("invited_by"), rs.getLong("created_at"),
                rs.getLong("expires_at"), acceptedAt, revokedAt);
    }
}
