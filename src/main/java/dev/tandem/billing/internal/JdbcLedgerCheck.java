package dev.tandem.billing.internal;

import dev.tandem.billing.LedgerCheck;
import dev.tandem.billing.Money;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link LedgerCheck} with SQL aggregates over the whole ledger. */
@Component
class JdbcLedgerCheck implements LedgerCheck {

    private final JdbcClient jdbc;

    JdbcLedgerCheck(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Report verify() {
        List<String> problems = new ArrayList<>();
        jdbc.sql("""
                        SELECT a.id, a.balance, COALESCE(SUM(e.amount), 0) AS computed
                        FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
                        GROUP BY a.id, a.balance
                        HAVING a.balance <> COALESCE(SUM(e.amount), 0)""")
                .query((rs, i) -> "account " + rs.getString(1) + ": balance " + Money.format(rs.getLong(2))
                        + " but its entries sum to " + Money.format(rs.getLong(3)))
                .list().forEach(problems::add);
        jdbc.sql("""
                        SELECT t.idempotency_key, COALESCE(SUM(e.amount), 0) FROM ledger_transactions t
                        LEFT JOIN ledger_entries e ON e.transaction_id = t.id
                        GROUP BY t.id, t.idempotency_key HAVING COALESCE(SUM(e.amount), 0) <> 0""")
                .query((rs, i) -> "transaction " + rs.getString(1) + ": entries sum to " + Money.format(rs.getLong(2)))
                .list().forEach(problems::add);
        jdbc.sql("SELECT currency, SUM(balance) FROM ledger_accounts GROUP BY currency HAVING SUM(balance) <> 0")
                .query((rs, i) -> "all " + rs.getString(1) + " balances together sum to " + rs.getLong(2) + ", not 0")
                .list().forEach(problems::add);
        jdbc.sql("""
                        SELECT t.idempotency_key FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
                        JOIN ledger_accounts a ON a.id = e.account_id
                        GROUP BY t.id, t.idempotency_key HAVING COUNT(DISTINCT a.currency) > 1""")
                .query((rs, i) -> "transaction " + rs.getString(1) + " mixes currencies")
                .list().forEach(problems::add);
        jdbc.sql("""
                        SELECT a.organization_id, a.balance, COALESCE(l.open, 0) FROM ledger_accounts a
                        LEFT JOIN (SELECT organization_id, SUM(amount - used) AS open FROM credit_leases
                                   WHERE status = 'open' GROUP BY organization_id) l
                          ON l.organization_id = a.organization_id
                        WHERE a.id LIKE 'org:%:held' AND a.balance <> COALESCE(l.open, 0)""")
                .query((rs, i) -> "organization " + rs.getString(1) + ": " + Money.format(rs.getLong(2))
                        + " on hold but its open leases hold " + Money.format(rs.getLong(3)))
                .list().forEach(problems::add);
        long accounts = jdbc.sql("SELECT COUNT(*) FROM ledger_accounts").query(Long.class).single();
        long transactions = jdbc.sql("SELECT COUNT(*) FROM ledger_transactions").query(Long.class).single();
        return new Report(accounts, transactions, problems);
    }
}
