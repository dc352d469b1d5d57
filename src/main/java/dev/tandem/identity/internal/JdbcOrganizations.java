package dev.tandem.identity.internal;

import dev.tandem.identity.Ids;
import dev.tandem.identity.Organization;
import dev.tandem.identity.OrganizationCreated;
import dev.tandem.identity.Organizations;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link Organizations} over the {@code organizations} table. */
@Component
class JdbcOrganizations implements Organizations {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    private final ObjectMapper json;

    JdbcOrganizations(JdbcClient jdbc, TransactionTemplate tx, Clock clock, ApplicationEventPublisher events,
            ObjectMapper json) {
        this.json = json;
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
        String id = Ids.next("org");
        long now = clock.millis();
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO organizations (id, name, created_at, is_owner) VALUES (:id, :name, :at, 0)")
                    .param("id", id).param("name", name).param("at", now).update();
            events.publishEvent(new OrganizationCreated(id, name, false));
        });
        return new Organization(id, name, false, now);
    }

    private static final String COLUMNS = "id, name, is_owner, created_at, models, allow_fallbacks, priority_tier";

    @Override
    public Optional<Organization> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM organizations WHERE id = :id").param("id", id)
                .query(this::row).optional();
    }

    @Override
    public List<Organization> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM organizations ORDER BY created_at").query(this::row).list();
    }

    @Override
    public Organization updateAccess(String id, List<String> models, boolean allowFallbacks, boolean priorityTier) {
        int n = jdbc.sql("UPDATE organizations SET models = :models, allow_fallbacks = :fallbacks, "
                        + "priority_tier = :priority WHERE id = :id")
                .param("models", models.isEmpty() ? null : json.writeValueAsString(models))
                .param("fallbacks", allowFallbacks ? 1 : 0).param("priority", priorityTier ? 1 : 0).param("id", id)
                .update();
        if (n == 0) {
            throw new IllegalArgumentException("no organization " + id);
        }
        return find(id).orElseThrow();
    }

    private Organization row(ResultSet rs, int i) throws SQLException {
        String models = rs.getString(5);
        return new Organization(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getLong(4),
                models == null || models.isBlank() ? List.of() : List.of(json.readValue(models, String[].class)),
                rs.getInt(6) == 1, rs.getInt(7) == 1);
    }
}
