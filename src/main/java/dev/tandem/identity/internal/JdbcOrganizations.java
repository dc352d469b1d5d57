package dev.tandem.identity.internal;

import dev.tandem.identity.Organization;
import dev.tandem.identity.OrganizationCreated;
import dev.tandem.identity.Organizations;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link Organizations} over the {@code organizations} table. */
@Component
class JdbcOrganizations implements Organizations {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    JdbcOrganizations(JdbcClient jdbc, TransactionTemplate tx, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public Organization create(String name) {
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("an organization name has 1 to 200 characters");
        }
        String id = SecretKeys.newId("org");
        long now = clock.millis();
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO organizations (id, name, created_at, is_owner) VALUES (:id, :name, :at, 0)")
                    .param("id", id).param("name", name).param("at", now).update();
            events.publishEvent(new OrganizationCreated(id, name, false));
        });
        return new Organization(id, name, false, now);
    }

    @Override
    public Optional<Organization> find(String id) {
        return jdbc.sql("SELECT id, name, is_owner, created_at FROM organizations WHERE id = :id").param("id", id)
                .query((rs, i) -> new Organization(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getLong(4)))
                .optional();
    }

    @Override
    public List<Organization> list() {
        return jdbc.sql("SELECT id, name, is_owner, created_at FROM organizations ORDER BY created_at")
                .query((rs, i) -> new Organization(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getLong(4)))
                .list();
    }
}
