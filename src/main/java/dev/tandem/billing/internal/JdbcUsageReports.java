package dev.tandem.billing.internal;

import dev.tandem.billing.UsageReports;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link UsageReports} as SQL over {@code usage_hourly} and {@code usage_daily}. */
@Component
class JdbcUsageReports implements UsageReports {

    private final JdbcClient jdbc;
    private final Clock clock;
    /** A transaction that reads one snapshot: SQLite's read transactions do; PostgreSQL needs repeatable read. */
    private final TransactionTemplate snapshot;

    JdbcUsageReports(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.snapshot = new TransactionTemplate(transactions);
        String database = template.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        if (database != null && database.toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
            snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
            snapshot.setReadOnly(true);
        }
    }

    @Override
    public List<Sum> usage(Query query) {
        List<Sum> sums = new ArrayList<>();
        forEach(query, sums::add);
        return sums;
    }

    @Override
    public void forEach(Query q, Consumer<Sum> each) {
        String table = q.period() == Period.HOUR ? "usage_hourly" : "usage_daily";
        String period = q.period() == Period.HOUR ? "hour" : "day";
        String groups = period + (q.byModel() ? ", model" : "") + (q.byKey() ? ", api_key_id" : "");
        StringBuilder sql = new StringBuilder("SELECT ").append(period).append(", ")
                .append(q.byModel() ? "model" : "NULL").append(", ").append(q.byKey() ? "api_key_id" : "NULL")
                .append(", SUM(requests), SUM(input_tokens), SUM(cached_tokens), SUM(output_tokens), ")
                .append("SUM(reasoning_tokens), SUM(price), SUM(cost) FROM ").append(table)
                .append(" WHERE organization_id = :org AND ").append(period).append(" >= :from AND ").append(period)
                .append(" < :to");
        if (!q.models().isEmpty()) {
            sql.append(" AND model IN (:models)");
        }
        if (!q.apiKeyIds().isEmpty()) {
            sql.append(" AND api_key_id IN (:keys)");
        }
        sql.append(" GROUP BY ").append(groups).append(" ORDER BY ").append(groups);
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("org", q.organizationId())
                .param("from", q.from()).param("to", q.to());
        if (!q.models().isEmpty()) {
            statement = statement.param("models", List.copyOf(q.models()));
        }
        if (!q.apiKeyIds().isEmpty()) {
            statement = statement.param("keys", List.copyOf(q.apiKeyIds()));
        }
        statement.query((ResultSet rs) -> {
            each.accept(sum(rs));
        });
    }

    private static Sum sum(ResultSet rs) throws SQLException {
        return new Sum(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10));
    }

    /**
     * Works back from the balance now: the closing balance of the month is today's balance less what was added
     * after the month plus what was spent after it; the opening balance is the closing one less the month's
     * top-ups plus its spend. All read in one snapshot, so a call settling meanwhile cannot unbalance it.
     */
    @Override
    public Statement statement(String org, YearMonth month) {
        long from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Statement s = snapshot.execute(status -> {
            long now = jdbc.sql("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts WHERE id IN (:c, :h)")
                    .param("c", Accounts.credits(org)).param("h", Accounts.held(org)).query(Long.class).single();
            long addedAfter = jdbc.sql("""
                            SELECT COALESCE(SUM(e.amount), 0) FROM ledger_transactions t
                            JOIN ledger_entries e ON e.transaction_id = t.id AND e.account_id IN (:c, :h)
                            WHERE t.organization_id = :o AND t.kind IN (:kinds) AND t.created_at >= :to""")
                    .param("c", Accounts.credits(org)).param("h", Accounts.held(org)).param("o", org)
                    .param("kinds", Accounts.TOP_UP_KINDS).param("to", to).query(Long.class).single();
            long spentAfter = jdbc.sql("SELECT COALESCE(SUM(price), 0) FROM usage_daily WHERE organization_id = :o "
                    + "AND day >= :to").param("o", org).param("to", to).query(Long.class).single();
            List<TopUp> topUps = jdbc.sql("""
                            SELECT t.created_at, t.kind, t.memo, SUM(e.amount) FROM ledger_transactions t
                            JOIN ledger_entries e ON e.transaction_id = t.id AND e.account_id IN (:c, :h)
                            WHERE t.organization_id = :o AND t.kind IN (:kinds) AND t.created_at >= :from
                              AND t.created_at < :to
                            GROUP BY t.id, t.created_at, t.kind, t.memo ORDER BY t.created_at, t.id""")
                    .param("c", Accounts.credits(org)).param("h", Accounts.held(org)).param("o", org)
                    .param("kinds", Accounts.TOP_UP_KINDS).param("from", from).param("to", to)
                    .query((rs, i) -> new TopUp(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                    .list();
            List<Line> lines = jdbc.sql("""
                            SELECT model, SUM(requests), SUM(input_tokens), SUM(cached_tokens), SUM(output_tokens),
                                SUM(reasoning_tokens), SUM(price) FROM usage_daily
                            WHERE organization_id = :o AND day >= :from AND day < :to GROUP BY model ORDER BY model""")
                    .param("o", org).param("from", from).param("to", to)
                    .query((rs, i) -> new Line(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)))
                    .list();
            long added = topUps.stream().mapToLong(TopUp::amount).sum();
            long spent = lines.stream().mapToLong(Line::amount).sum();
            long closing = now - addedAfter + spentAfter;
            return new Statement(org, month, from, to, clock.millis() < to, closing - added + spent, topUps, added,
                    lines, spent, closing);
        });
        return java.util.Objects.requireNonNull(s, "statement");
    }
}
