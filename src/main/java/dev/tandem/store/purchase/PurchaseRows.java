package dev.tandem.store.purchase;

import dev.tandem.store.Store;
import dev.tandem.store.StoreEnvironment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code store_purchases} table: one row per payment a store reported, unique on the store's transaction id.
 * Joins the caller's transaction. Thread-safe.
 */
@Component
public class PurchaseRows {

    /** A pack, a membership period, or a refund of something never credited here. */
    public enum Kind {
        PACK, MEMBERSHIP, UNKNOWN;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a payment is now. */
    public enum Status {
        CREDITED, REVOKED, VOID;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One row; amounts in minor units, times in epoch ms. {@code currency} is null for a void row (a refund of a
     * payment never credited here, whose price Tandem never knew).
     */
    public record Row(String id, Store store, String transactionId, String originalTransactionId,
            @Nullable String personId, @Nullable String productId, @Nullable String storeProductId, Kind kind,
            int quantity, long gems, long price, @Nullable String currency, @Nullable Long limitAmount,
            StoreEnvironment environment, Status status, boolean overLimit, long purchasedAt, long createdAt,
            @Nullable Long revokedAt, @Nullable String revokeReason) {
    }

    private static final String COLUMNS = "id, store, transaction_id, original_transaction_id, person_id, product_id, "
            + "store_product_id, kind, quantity, gems, price, currency, limit_amount, environment, status, over_limit, "
            + "purchased_at, created_at, revoked_at, revoke_reason";

    private final JdbcClient jdbc;

    PurchaseRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the row unless its (store, transaction id) is there already; true when it was inserted. */
    public boolean insert(Row r) {
        return jdbc.sql("INSERT INTO store_purchases (" + COLUMNS + ") VALUES (:id, :store, :tx, :orig, :person, "
                        + ":product, :storeProduct, :kind, :quantity, :gems, :price, :currency, :limitAmount, :env, "
                        + ":status, :overLimit, :purchasedAt, :createdAt, :revokedAt, :revokeReason) "
                        + "ON CONFLICT (store, transaction_id) DO NOTHING")
                .param("id", r.id()).param("store", r.store().name()).param("tx", r.transactionId())
                .param("orig", r.originalTransactionId()).param("person", r.personId()).param("product", r.productId())
                .param("storeProduct", r.storeProductId()).param("kind", r.kind().column())
                .param("quantity", r.quantity()).param("gems", r.gems()).param("price", r.price())
                .param("currency", r.currency()).param("limitAmount", r.limitAmount())
                .param("env", r.environment().name()).param("status", r.status().column())
                .param("overLimit", r.overLimit() ? 1 : 0).param("purchasedAt", r.purchasedAt())
                .param("createdAt", r.createdAt()).param("revokedAt", r.revokedAt())
                .param("revokeReason", r.revokeReason()).update() == 1;
    }

    public Optional<Row> find(Store store, String transactionId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM store_purchases WHERE store = :s AND transaction_id = :t")
                .param("s", store.name()).param("t", transactionId).query((rs, i) -> row(rs)).optional();
    }

    /** The row of {@code transactionId}, or of the transaction the payment {@code transactionId} is linked to. */
    public Optional<Row> findPaidBy(Store store, String transactionId) {
        Optional<Row> direct = find(store, transactionId);
        if (direct.isPresent()) {
            return direct;
        }
        return jdbc.sql("SELECT transaction_id FROM store_payment_links WHERE store = :s AND payment_id = :p")
                .param("s", store.name()).param("p", transactionId).query(String.class).optional()
                .flatMap(t -> find(store, t));
    }

    /** Records that {@code paymentId} paid {@code transactionId}; a link seen before is kept. */
    public void link(Store store, String paymentId, String transactionId, long now) {
        jdbc.sql("INSERT INTO store_payment_links (store, payment_id, transaction_id, created_at) "
                        + "VALUES (:s, :p, :t, :now) ON CONFLICT (store, payment_id) DO NOTHING")
                .param("s", store.name()).param("p", paymentId).param("t", transactionId).param("now", now).update();
    }

    /** Marks a credited row revoked; false when it was not credited (revoked before: nothing to do). */
    public boolean markRevoked(String id, long at, String reason) {
        return jdbc.sql("UPDATE store_purchases SET status = 'revoked', revoked_at = :at, revoke_reason = :r "
                        + "WHERE id = :id AND status = 'credited'")
                .param("at", at).param("r", reason).param("id", id).update() == 1;
    }

    /** Marks a revoked row credited again (its refund reversed); false when it was not revoked. */
    public boolean markReinstated(String id) {
        return jdbc.sql("UPDATE store_purchases SET status = 'credited', revoked_at = NULL, revoke_reason = NULL "
                        + "WHERE id = :id AND status = 'revoked'")
                .param("id", id).update() == 1;
    }

    /** A person's payments, newest first. */
    public List<Row> byPerson(String personId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM store_purchases WHERE person_id = :p "
                        + "ORDER BY purchased_at DESC, created_at DESC LIMIT :limit")
                .param("p", personId).param("limit", Math.max(1, Math.min(limit, 1000))).query((rs, i) -> row(rs))
                .list();
    }

    /** Every payment of a person, newest first (for their data export). */
    public List<Row> allByPerson(String personId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM store_purchases WHERE person_id = :p "
                        + "ORDER BY purchased_at DESC, created_at DESC")
                .param("p", personId).query((rs, i) -> row(rs)).list();
    }

    /**
     * What a person paid in [{@code from}, {@code to}) in the limits' currency: credited payments only (a refunded or
     * revoked one gave the money back), those without a converted amount not counted.
     */
    public long spent(String personId, long from, long to) {
        return jdbc.sql("SELECT COALESCE(SUM(limit_amount), 0) FROM store_purchases WHERE person_id = :p "
                        + "AND status = 'credited' AND purchased_at >= :from AND purchased_at < :to")
                .param("p", personId).param("from", from).param("to", to).query(Long.class).single();
    }

    private static Row row(ResultSet rs) throws SQLException {
        long limit = rs.getLong(13);
        Long limitAmount = rs.wasNull() ? null : limit;
        long revoked = rs.getLong(19);
        Long revokedAt = rs.wasNull() ? null : revoked;
        return new Row(rs.getString(1), Store.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7),
                Kind.valueOf(rs.getString(8).toUpperCase(java.util.Locale.ROOT)), rs.getInt(9), rs.getLong(10),
                rs.getLong(11), rs.getString(12), limitAmount, StoreEnvironment.valueOf(rs.getString(14)),
                Status.valueOf(rs.getString(15).toUpperCase(java.util.Locale.ROOT)), rs.getInt(16) == 1,
                rs.getLong(17), rs.getLong(18), revokedAt, rs.getString(20));
    }
}
