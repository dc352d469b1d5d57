package dev.tandem.store;

import dev.tandem.store.purchase.StoreRecords;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The store's audit log for operators: every refused, replayed, flagged or unmatched receipt and notification
 * (forgeries, wrong apps, replays, purchases over a limit or in debt, partial refunds, events naming nothing known
 * here), newest first, filtered and paged.
 */
@Component
public class StoreAudit {

    /** The outcomes written to the log. */
    public static final Set<String> OUTCOMES = Arrays.stream(StoreRecords.Outcome.values())
            .map(StoreRecords.Outcome::column).collect(Collectors.toUnmodifiableSet());

    /** One row: what happened, why, to whom and which payment or delivery. */
    public record Entry(String id, Store store, String outcome, String reason, @Nullable String personId,
            @Nullable String transactionId, @Nullable String notificationId, String detail, Instant at) {
    }

    /**
     * What to list; null fields do not filter.
     *
     * @param before the last entry of the previous page, for the next one
     * @param limit  1 to 200
     */
    public record Filter(@Nullable Store store, @Nullable String outcome, @Nullable String reason,
            @Nullable String personId, @Nullable Entry before, int limit) {
        public Filter {
            if (outcome != null && !OUTCOMES.contains(outcome)) {
                throw new IllegalArgumentException("outcome: one of " + String.join(", ", OUTCOMES.stream().sorted()
                        .toList()) + ", was '" + outcome + "'");
            }
            if (limit < 1 || limit > 200) {
                throw new IllegalArgumentException("limit: 1 to 200, was " + limit);
            }
        }
    }

    private static final String SELECT = "SELECT id, store, outcome, reason, person_id, transaction_id, "
            + "notification_id, detail, created_at FROM store_audit ";

    private final JdbcClient jdbc;

    StoreAudit(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The entries that match, newest first; one more than asked tells the caller there are more. */
    public List<Entry> list(Filter f) {
        StringBuilder sql = new StringBuilder(SELECT + "WHERE 1 = 1");
        Map<String, Object> q = new LinkedHashMap<>();
        if (f.store() != null) {
            sql.append(" AND store = :store");
            q.put("store", f.store().name());
        }
        if (f.outcome() != null) {
            sql.append(" AND outcome = :outcome");
            q.put("outcome", f.outcome());
        }
        if (f.reason() != null) {
            sql.append(" AND reason = :reason");
            q.put("reason", f.reason().toUpperCase(Locale.ROOT));
        }
        if (f.personId() != null) {
            sql.append(" AND person_id = :person");
            q.put("person", f.personId());
        }
        if (f.before() != null) {
            sql.append(" AND (created_at < :at OR (created_at = :at AND id < :id))");
            q.put("at", f.before().at().toEpochMilli());
            q.put("id", f.before().id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        q.put("limit", f.limit() + 1);
        return jdbc.sql(sql.toString()).params(q).query(StoreAudit::entry).list();
    }

    /** One entry, for paging from it. */
    public Optional<Entry> find(String id) {
        return jdbc.sql(SELECT + "WHERE id = :id").param("id", id).query(StoreAudit::entry).optional();
    }

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        return new Entry(rs.getString(1), Store.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)));
    }
}
