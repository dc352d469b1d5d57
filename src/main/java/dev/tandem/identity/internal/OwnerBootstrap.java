package dev.tandem.identity.internal;

import dev.tandem.identity.Ids;
import dev.tandem.identity.IdentityProperties;
import dev.tandem.identity.MemberRole;
import dev.tandem.identity.OrganizationCreated;
import java.io.PrintStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On first start (no organization yet) creates the owner organization and its admin API key, before the server
 * takes requests. The generated key is printed once to standard output and never stored in clear;
 * {@code TANDEM_ADMIN_KEY} supplies the key instead, and is (re)registered on every start.
 *
 * <p>With {@code TANDEM_OWNER_EMAIL}, while the owner organization has no owner person, that address becomes its
 * owner (the person is made when there is none, with {@code TANDEM_OWNER_PASSWORD} or a generated password that is
 * printed once). An existing person keeps their password.
 */
@Component
class OwnerBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(OwnerBootstrap.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final IdentityProperties properties;
    private final PrintStream console;
    private final ApplicationEventPublisher events;
    private final JdbcPeople people;
    private final Passwords passwords;

    OwnerBootstrap(JdbcClient jdbc, TransactionTemplate tx, Clock clock, IdentityProperties properties,
            ApplicationEventPublisher events, JdbcPeople people, Passwords passwords) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
        this.events = events;
        this.people = people;
        this.passwords = passwords;
        this.console = System.out;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String configured = properties.adminKey() == null || properties.adminKey().isBlank() ? null
                : properties.adminKey().trim();
        String generated = tx.execute(status -> {
            String owner = jdbc.sql("SELECT id FROM organizations ORDER BY created_at LIMIT 1").query(String.class)
                    .optional().orElse(null);
            boolean firstStart = owner == null;
            if (firstStart) {
                owner = Ids.next("org");
                jdbc.sql("INSERT INTO organizations (id, name, created_at, is_owner) VALUES (:id, :name, :at, 1)")
                        .param("id", owner).param("name", "Owner").param("at", clock.millis()).update();
                events.publishEvent(new OrganizationCreated(owner, "Owner", true));
                log.info("first start: created the owner organization {}", owner);
            }
            if (configured != null) {
                boolean known = jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE secret_hash = :h")
                        .param("h", SecretKeys.hash(configured)).query(Long.class).single() > 0;
                if (!known) {
                    insertAdminKey(owner, configured, "admin (TANDEM_ADMIN_KEY)");
                    log.info("registered TANDEM_ADMIN_KEY as an admin key of organization {}", owner);
                }
                return null;
            }
            if (firstStart) {
                String secret = SecretKeys.newSecret();
                insertAdminKey(owner, secret, "admin");
                return secret;
            }
            return null;
        });
        if (generated != null) {
            console.println();
            console.println("  ┌──────────────────────────────────────────────────────────────────────┐");
            console.println("  │ Tandem admin API key (shown once, stored only as a hash):            │");
            console.println(String.format("  │   %-67s│", generated));
            console.println("  │ Use it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.       │");
            console.println("  └──────────────────────────────────────────────────────────────────────┘");
            console.println();
        }
        if (properties.ownerEmail() != null && !properties.ownerEmail().isBlank()) {
            ownerPerson(properties.ownerEmail());
        }
    }

    /** Makes {@code email} the owner organization's owner while it has none. */
    private void ownerPerson(String email) {
        String address = Passwords.email("TANDEM_OWNER_EMAIL", email);
        String organization = jdbc.sql("SELECT id FROM organizations WHERE is_owner = 1 ORDER BY created_at LIMIT 1")
                .query(String.class).single();
        boolean hasOwner = jdbc.sql("SELECT COUNT(*) FROM memberships WHERE organization_id = :org AND role = 'owner'")
                .param("org", organization).query(Long.class).single() > 0;
        if (hasOwner) {
            return;
        }
        var existing = people.findByEmail(address);
        String configured = properties.ownerPassword();
        String generated = existing.isEmpty() && (configured == null || configured.isEmpty())
                ? Ids.random(20) : null;
        String hash = existing.isPresent() ? null : passwords.hash(generated != null ? generated : configured);
        tx.executeWithoutResult(status -> {
            long now = clock.millis();
            String personId = existing.isPresent() ? existing.get().id()
                    : people.insertPerson(address, address.substring(0, address.indexOf('@')), hash, now);
            jdbc.sql("DELETE FROM memberships WHERE organization_id = :org AND person_id = :p")
                    .param("org", organization).param("p", personId).update();
            people.insertMembership(personId, organization, MemberRole.OWNER, now);
        });
        log.info("{} is now an owner of the owner organization {}", address, organization);
        if (generated != null) {
            console.println();
            console.println("  Tandem console owner " + address + ", password (shown once): " + generated);
            console.println("  Sign in at /console/sign-in and change it under your account.");
            console.println();
        }
    }

    private void insertAdminKey(String organizationId, String secret, String name) {
        jdbc.sql("""
                        INSERT INTO api_keys (id, organization_id, name, prefix, secret_hash, role, created_at)
                        VALUES (:id, :org, :name, :prefix, :hash, 'admin', :at)""")
                .param("id", Ids.next("key")).param("org", organizationId).param("name", name)
                .param("prefix", SecretKeys.visiblePrefix(secret)).param("hash", SecretKeys.hash(secret))
                .param("at", clock.millis()).update();
    }
}
