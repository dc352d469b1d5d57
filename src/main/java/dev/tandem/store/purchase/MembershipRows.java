package dev.tandem.store.purchase;

import dev.tandem.store.Store;
import dev.tandem.store.StoreEnvironment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code store_memberships} table: one row per subscription, keyed by the store and its id of the
 * subscription. Joins the caller's transaction. Thread-safe.
 */
@Component
public class MembershipRows {

    /** Where a membership stands; only {@link #ACTIVE} and {@link #GRACE} carry perks. */
    public enum State {
        ACTIVE, GRACE, ON_HOLD, EXPIRED, REVOKED;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One membership; times in epoch ms. */
    public record Row(Store store, String originalTransactionId, String personId, String productId, State state,
            @Nullable Long expiresAt, @Nullable Long graceEndsAt, boolean autoRenew, StoreEnvironment environment,
            long startedAt, long updatedAt) {

        /** Whether it carries perks at {@code now}: paid and not past its end, or in a grace period not yet over. */
        public boolean perksAt(long now) {
            return switch (state) {
                case ACTIVE -> expiresAt == null || expiresAt > now;
                case GRACE -> graceEndsAt == null || graceEndsAt > now;
                default -> false;
            };
        }
    }

    private static final String COLUMNS = "store, original_transaction_id, person_id, product_id, state, expires_at, "
            + "grace_ends_at, auto_renew, environment, started_at, updated_at";

    private final JdbcClient jdbc;

    MembershipRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Row> find(Store store, String originalTransactionId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM store_memberships WHERE store = :s AND original_transaction_id = :o")
                .param("s", store.name()).param("o", originalTransactionId).query((rs, i) -> row(rs)).optional();
    }

    public List<Row> byPerson(String personId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM store_memberships WHERE person_id = :p ORDER BY started_at DESC")
                .param("p", personId).query((rs, i) -> row(rs)).list();
    }

    /** Adds a membership, or makes an existing one active again until the later of its and the new expiry. */
    public void activate(Store store, String originalTransactionId, String personId, String productId,
            @Nullable Long expiresAt, StoreEnvironment environment, long now) {
        Optional<Row> existing = find(store, originalTransactionId);
        if (existing.isEmpty()) {
            jdbc.sql("INSERT INTO store_memberships (" + COLUMNS + ") VALUES (:s, :o, :p, :product, 'active', :e, "
                            + "NULL, 1, :env, :now, :now)")
                    .param("s", store.name()).param("o", originalTransactionId).param("p", personId)
                    .param("product", productId).param("e", expiresAt).param("env", environment.name())
                    .param("now", now).update();
            return;
        }
        update(store, originalTransactionId, State.ACTIVE, later(existing.get().expiresAt(), expiresAt), null, now);
    }

    /** Sets state, expiry and grace end (the values given; null clears the grace end and keeps an unknown expiry). */
    public void update(Store store, String originalTransactionId, State state, @Nullable Long expiresAt,
            @Nullable Long graceEndsAt, long now) {
        jdbc.sql("UPDATE store_memberships SET state = :state, expires_at = COALESCE(:e, expires_at), "
                        + "grace_ends_at = :g, updated_at = :now WHERE store = :s AND original_transaction_id = :o")
                .param("state", state.column()).param("e", expiresAt).param("g", graceEndsAt).param("now", now)
                .param("s", store.name()).param("o", originalTransactionId).update();
    }

    public void autoRenew(Store store, String originalTransactionId, boolean autoRenew, @Nullable Long expiresAt,
            long now) {
        Row row = find(store, originalTransactionId).orElseThrow();
        jdbc.sql("UPDATE store_memberships SET auto_renew = :a, expires_at = :e, updated_at = :now "
                        + "WHERE store = :s AND original_transaction_id = :o")
                .param("a", autoRenew ? 1 : 0).param("e", later(row.expiresAt(), expiresAt)).param("now", now)
                .param("s", store.name()).param("o", originalTransactionId).update();
    }

    static @Nullable Long later(@Nullable Long a, @Nullable Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }

    private static Row row(ResultSet rs) throws SQLException {
        long e = rs.getLong(6);
        Long expires = rs.wasNull() ? null : e;
        long g = rs.getLong(7);
        Long grace = rs.wasNull() ? null : g;
        return new Row(Store.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                State.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)), expires, grace, rs.getInt(8) == 1,
                StoreEnvironment.valueOf(rs.getString(9)), rs.getLong(10), rs.getLong(11));
    }
}
