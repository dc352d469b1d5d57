package dev.tandem.identity.internal;

import dev.tandem.identity.IdentityProperties;
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

    OwnerBootstrap(JdbcClient jdbc, TransactionTemplate tx, Clock clock, IdentityProperties properties,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
        this.events = events;
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
                owner = SecretKeys.newId("org");
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
    }

    private void insertAdminKey(String organizationId, String secret, String name) {
        jdbc.sql("""
                        INSERT INTO api_keys (id, organization_id, name, prefix, secret_hash, role, created_at)
                        VALUES (:id, :org, :name, :prefix, :hash, 'admin', :at)""")
                .param("id", SecretKeys.newId("key")).param("org", organizationId).param("name", name)
                .param("prefix", SecretKeys.visiblePrefix(secret)).param("hash", SecretKeys.hash(secret))
                .param("at", clock.millis()).update();
    }
}
