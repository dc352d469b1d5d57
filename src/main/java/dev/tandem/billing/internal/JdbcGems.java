package dev.tandem.billing.internal;

import dev.tandem.billing.BillingException;
import dev.tandem.billing.Gems;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Gems} on the ledger tables: accounts {@code person:{id}:gems:paid} and {@code …:free} (currency
 * {@code GEM}) against the platform's {@code platform:gems:sold:N} (where bought gems come from and refunded ones go
 * back), {@code platform:gems:rewards:N} (free gems) and {@code platform:gems:spent:N} (what draws and the shop
 * take). Each platform account is striped over {@value #STRIPES} rows, a person always on the same stripe: every
 * spend updates its platform row, and on PostgreSQL one row updated by all would queue every draw behind the one
 * before it (and pile up dead row versions); the platform's total is the sum of its stripes.
 * Writes go straight to the database in the caller's transaction (no group commit): a draw's debit and its cards
 * commit together.
 */
@Component
class JdbcGems implements Gems {

    static final String CURRENCY = "GEM";
    static final int STRIPES = 16;
    static final String SOLD = "platform:gems:sold";
    static final String REWARDS = "platform:gems:rewards";
    static final String SPENT = "platform:gems:spent";

    /** The stripe of platform account {@code base} that {@code personId}'s moves use. */
    static String stripe(String base, String personId) {
        return base + ":" + Math.floorMod(personId.hashCode(), STRIPES);
    }
    private static final long MAX_AMOUNT = 1_000_000_000L;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    JdbcGems(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    static String paid(String personId) {
        return "person:" + personId + ":gems:paid";
    }

    static String free(String personId) {
        return "person:" + personId + ":gems:free";
    }

    @Override
    public Balance balance(String personId) {
        Map<String, Long> b = new LinkedHashMap<>();
        jdbc.sql("SELECT id, balance FROM ledger_accounts WHERE id IN (:p, :f)")
                .param("p", paid(personId)).param("f", free(personId))
                .query(rs -> {
                    b.put(rs.getString(1), rs.getLong(2));
                });
        return new Balance(b.getOrDefault(paid(personId), 0L), b.getOrDefault(free(personId), 0L));
    }

    @Override
    public Move credit(String personId, Kind account, long amount, String kind, String idempotencyKey,
            String reference, String memo) {
        return once(personId, amount, idempotencyKey, () -> {
            String to = account == Kind.PAID ? paid(personId) : free(personId);
            String from = stripe(account == Kind.PAID ? SOLD : REWARDS, personId);
            return post(personId, kind, idempotencyKey, reference, memo, Map.of(to, amount, from, -amount), null);
        });
    }

    @Override
    public Move spend(String personId, long amount, String kind, String idempotencyKey, String reference,
            String memo) {
        return once(personId, amount, idempotencyKey, () -> {
            Balance b = balance(personId);
            if (b.paid() < 0) {
                throw new BillingException(BillingException.Kind.INSUFFICIENT_BALANCE, "A refunded purchase left "
                        + "your paid gems at " + b.paid() + "; top up before spending gems again.");
            }
            if (b.total() < amount) {
                throw new BillingException(BillingException.Kind.INSUFFICIENT_BALANCE, "This needs " + amount
                        + " gems; you have " + b.total() + ".");
            }
            long fromFree = Math.min(b.free(), amount);
            long fromPaid = amount - fromFree;
            Map<String, Long> entries = new LinkedHashMap<>();
            if (fromFree > 0) {
                entries.put(free(personId), -fromFree);
            }
            if (fromPaid > 0) {
                entries.put(paid(personId), -fromPaid);
            }
            entries.put(stripe(SPENT, personId), amount);
            return post(personId, kind, idempotencyKey, reference, memo, entries,
                    new Balance(b.paid() - fromPaid, b.free() - fromFree));
        });
    }

    @Override
    public Move takeBack(String personId, long amount, String kind, String idempotencyKey, String reference,
            String memo) {
        return once(personId, amount, idempotencyKey, () -> post(personId, kind, idempotencyKey, reference, memo,
                Map.of(paid(personId), -amount, stripe(SOLD, personId), amount), null));
    }

    /**
     * Runs a move once per key, in the caller's transaction or a new one: the person's lock first, then the move
     * recorded under the key before (returned as it was), or {@code move}.
     */
    private Move once(String personId, long amount, String idempotencyKey, java.util.function.Supplier<Move> move) {
        check(amount, idempotencyKey);
        return tx.execute(s -> {
            lock(personId);
            return find(personId, idempotencyKey).orElseGet(move);
        });
    }

    @Override
    public Optional<Move> find(String personId, String idempotencyKey) {
        return jdbc.sql("SELECT id FROM ledger_transactions WHERE idempotency_key = :k").param("k", key(idempotencyKey))
                .query(String.class).optional().map(id -> {
                    long[] moved = moved(id, personId);
                    return new Move(id, moved[0], moved[1], balance(personId), true);
                });
    }

    @Override
    public List<Entry> history(String personId, int limit) {
        return history(personId, "", Map.of(), limit);
    }

    @Override
    public List<Entry> historyBefore(String personId, Entry before, int limit) {
        return history(personId, "AND (t.created_at < :at OR (t.created_at = :at AND t.id < :id))",
                Map.of("at", before.at(), "id", before.transactionId()), limit);
    }

    private List<Entry> history(String personId, String older, Map<String, Object> params, int limit) {
        return jdbc.sql("""
                        SELECT t.id, t.kind, t.reference, t.memo, t.created_at,
                          SUM(CASE WHEN e.account_id = :p THEN e.amount ELSE 0 END),
                          SUM(CASE WHEN e.account_id = :f THEN e.amount ELSE 0 END)
                        FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
                        WHERE e.account_id IN (:p, :f) %s
                        GROUP BY t.id, t.kind, t.reference, t.memo, t.created_at
                        ORDER BY t.created_at DESC, t.id DESC LIMIT :limit""".formatted(older))
                .params(params)
                .param("p", paid(personId)).param("f", free(personId)).param("limit", Math.max(1, Math.min(limit, 1000)))
                .query((rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getLong(6), rs.getLong(7),
                        rs.getString(3) == null ? "" : rs.getString(3), rs.getString(4) == null ? "" : rs.getString(4),
                        rs.getLong(5)))
                .list();
    }

    /**
     * Takes the person's accounts' write lock (SQLite: the database's) with the transaction's first statement,
     * before anything is read; makes the accounts (and the platform's) first when they do not exist yet. Accounts
     * are never deleted, and a person's two are made with the platform's in one transaction, so when the person's
     * exist the platform's do too.
     */
    private void lock(String personId) {
        if (lockPerson(personId) == 1) {
            return;
        }
        long now = clock.millis();
        for (String id : new String[] {paid(personId), free(personId), stripe(SOLD, personId),
            stripe(REWARDS, personId), stripe(SPENT, personId)}) {
            jdbc.sql("INSERT INTO ledger_accounts (id, organization_id, currency, balance, created_at) "
                            + "VALUES (:id, NULL, :c, 0, :now) ON CONFLICT (id) DO NOTHING")
                    .param("id", id).param("c", CURRENCY).param("now", now).update();
        }
        lockPerson(personId);
    }

    /**
     * Locks the person's paid account row: the one lock every move of theirs takes first, so their moves run one
     * after the other. One row, not both: two transactions locking two rows each could take them in different orders
     * (PostgreSQL scans a small table in its physical order, which updates change) and deadlock.
     */
    private int lockPerson(String personId) {
        return jdbc.sql("UPDATE ledger_accounts SET balance = balance WHERE id = :p").param("p", paid(personId))
                .update();
    }

    /**
     * Writes the transaction, its entries (one statement) and the person's balances, reads the balance after
     * (unless the caller knows it: {@code after}, computed under the lock), and only then moves the platform's
     * shared accounts: their rows are every spend's and every reward's, so on PostgreSQL they are held from that
     * last update to the commit and no longer.
     */
    private Move post(String personId, String kind, String idempotencyKey, String reference, String memo,
            Map<String, Long> entries, @Nullable Balance after) {
        long now = clock.millis();
        String id = LedgerWriter.newId();
        jdbc.sql("INSERT INTO ledger_transactions (id, idempotency_key, kind, organization_id, reference, memo, "
                        + "created_at) VALUES (:id, :k, :kind, NULL, :ref, :memo, :now)")
                .param("id", id).param("k", key(idempotencyKey)).param("kind", kind).param("ref", reference)
                .param("memo", memo.length() > 400 ? memo.substring(0, 400) : memo).param("now", now).update();
        StringBuilder insert = new StringBuilder("INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, "
                + "created_at) VALUES ");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("t", id);
        params.put("now", now);
        int seq = 0;
        for (Map.Entry<String, Long> e : entries.entrySet()) {
            insert.append(seq == 0 ? "" : ", ").append("(:t, ").append(seq).append(", :a").append(seq).append(", :m")
                    .append(seq).append(", :now)");
            params.put("a" + seq, e.getKey());
            params.put("m" + seq, e.getValue());
            seq++;
        }
        jdbc.sql(insert.toString()).params(params).update();
        long paidMoved = entries.getOrDefault(paid(personId), 0L);
        long freeMoved = entries.getOrDefault(free(personId), 0L);
        entries.forEach((account, amount) -> {
            if (!account.startsWith("platform:")) {
                addTo(account, amount);
            }
        });
        Balance balanceAfter = after != null ? after : balance(personId);
        entries.forEach((account, amount) -> {
            if (account.startsWith("platform:")) {
                addTo(account, amount);
            }
        });
        return new Move(id, paidMoved, freeMoved, balanceAfter, false);
    }

    private void addTo(String account, long amount) {
        jdbc.sql("UPDATE ledger_accounts SET balance = balance + :amt WHERE id = :a").param("amt", amount)
                .param("a", account).update();
    }

    private long[] moved(String transactionId, String personId) {
        long[] out = new long[2];
        jdbc.sql("SELECT account_id, amount FROM ledger_entries WHERE transaction_id = :t").param("t", transactionId)
                .query(rs -> {
                    if (rs.getString(1).equals(paid(personId))) {
                        out[0] += rs.getLong(2);
                    } else if (rs.getString(1).equals(free(personId))) {
                        out[1] += rs.getLong(2);
                    }
                });
        return out;
    }

    /** Gem keys live apart from the credit ledger's own keys. */
    private static String key(String idempotencyKey) {
        return "gems:" + idempotencyKey;
    }

    private static void check(long amount, String idempotencyKey) {
        if (amount <= 0 || amount > MAX_AMOUNT) {
            throw new BillingException(BillingException.Kind.INVALID, "a gem amount must be 1 to " + MAX_AMOUNT
                    + ", was " + amount);
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 190) {
            throw new BillingException(BillingException.Kind.INVALID, "an idempotency key must have 1 to 190 "
                    + "characters");
        }
    }
}
