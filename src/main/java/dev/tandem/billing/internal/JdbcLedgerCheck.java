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
        long total = jdbc.sql("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts").query(Long.class).single();
        if (total != 0) {
            problems.add("all balances together sum to " + Money.format(total) + ", not 0");
        }
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
