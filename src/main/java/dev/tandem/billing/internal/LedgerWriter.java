package dev.tandem.billing.internal;

import dev.tandem.billing.Admission;
import dev.tandem.billing.BillingException;
import dev.tandem.billing.BillingProperties;
import dev.tandem.billing.Metered;
import dev.tandem.billing.Redemption;
import dev.tandem.billing.Settlement;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The node's single writer of the ledger: every balance change goes through it, and what arrives while one
 * transaction commits is committed together in the next (group commit). Callers block until their change is
 * committed; a batch that fails fails all its callers, and nothing of it is written.
 *
 * <p>Settlements are applied in bulk (one JDBC batch per statement), which keeps thousands of durable
 * settlements per second within reach of SQLite and PostgreSQL on two cores.
 */
@Component
class LedgerWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);
    private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Digits before letters: the order of ASCII and of the usual database collations alike. */
    private static final char[] ORDERED_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final long PER_MILLI = 36 * 36 * 36;
    private static final AtomicLong LAST_STAMP = new AtomicLong();

    /** A change waiting to be committed. */
    sealed interface Op permits Settle, AcquireLease, CloseLease, Grant, Renew, Redeem {
    }

    record Settle(Admission admission, Metered metered, long price, long cost, long at,
            CompletableFuture<Settlement> done) implements Op {
    }

    /** Takes between {@code need} and {@code chunk} from the credits into a new lease; result: the amount, or 0. */
    record AcquireLease(String leaseId, String organizationId, String node, long need, long chunk, boolean prepaid,
            long expiresAt, long at, CompletableFuture<Long> done) implements Op {
    }

    /** Closes an open lease (only if expired before {@code expiredBefore} when > 0); result: amount given back or -1. */
    record CloseLease(String leaseId, String status, long expiredBefore, long at, CompletableFuture<Long> done)
            implements Op {
    }

    record Grant(String organizationId, long amount, String idempotencyKey, String memo, long at,
            CompletableFuture<Long> done) implements Op {
    }

    record Renew(List<String> leaseIds, long expiresAt, CompletableFuture<Long> done) implements Op {
    }

    /** Redeems the code whose hash is {@code codeHash} for an organization; the result says how it ended. */
    record Redeem(String codeHash, String organizationId, long at, CompletableFuture<Redemption> done) implements Op {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final int maxBatch;
    private final UsageSums sums;
    private final BalanceWatch watch;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Set<String> knownAccounts = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread thread;

    LedgerWriter(JdbcTemplate jdbc, TransactionTemplate tx, BillingProperties properties, BalanceWatch watch) {
        this.jdbc = jdbc;
        this.watch = watch;
        this.sums = new UsageSums(jdbc);
        this.tx = tx;
        this.maxBatch = Math.max(1, properties.settleBatch());
    }

    /** Queues {@code op} and waits until it is committed. */
    <T> T submit(Op op, CompletableFuture<T> done) {
        if (!running) {
            throw new BillingException(BillingException.Kind.UNAVAILABLE, "the ledger is not accepting changes");
        }
        queue.add(op);
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillingException(BillingException.Kind.UNAVAILABLE, "interrupted while recording");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BillingException be) {
                throw be;
            }
            throw new BillingException(BillingException.Kind.UNAVAILABLE,
                    "the usage could not be recorded: " + e.getCause().getMessage());
        }
    }

    /**
     * A new transaction id that sorts in the order this node made them: 12 base-36 characters of a per-node
     * monotone counter (milliseconds × 46,656 plus a sequence within the millisecond), then 8 random characters so
     * that nodes never collide. Histories order by (created_at, id), so two moves in one millisecond keep their order.
     */
    static String newId() {
        long now = System.currentTimeMillis() * PER_MILLI;
        long stamp = LAST_STAMP.updateAndGet(last -> Math.max(last + 1, now));
        char[] id = new char[20];
        for (int i = 11; i >= 0; i--) {
            id[i] = ORDERED_CHARS[(int) (stamp % 36)];
            stamp /= 36;
        }
        for (int i = 12; i < id.length; i++) {
            id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private void loop() {
        List<Op> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Op first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                log.error("ledger writer failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Op> batch) {
        List<Runnable> completions = new ArrayList<>(batch.size());
        Set<String> touched = new java.util.HashSet<>();
        boolean[] alerted = new boolean[1];
        try {
            tx.executeWithoutResult(status -> {
                Batch b = new Batch(touched);
                List<Settle> settles = new ArrayList<>();
                for (Op op : batch) {
                    switch (op) {
                        case Settle s -> settles.add(s);
                        case AcquireLease a -> {
                            long amount = acquire(b, a);
                            completions.add(() -> a.done().complete(amount));
                        }
                        case CloseLease c -> {
                            long back = close(b, c);
                            completions.add(() -> c.done().complete(back));
                        }
                        case Grant g -> {
                            long balance = grant(b, g);
                            completions.add(() -> g.done().complete(balance));
                        }
                        case Renew r -> {
                            renew(r);
                            completions.add(() -> r.done().complete(0L));
                        }
                        case Redeem r -> {
                            Redemption outcome = redeem(b, r);
                            completions.add(() -> r.done().complete(outcome));
                        }
                    }
                }
                if (!settles.isEmpty()) {
                    settle(b, settles, completions);
                }
                b.flushBalances();
                alerted[0] = watch.check(b.organizations);
            });
            knownAccounts.addAll(touched);
            if (alerted[0]) {
                watch.queued();
            }
            completions.forEach(Runnable::run);
        } catch (RuntimeException e) {
            BillingException failure = e instanceof BillingException be ? be
                    : new BillingException(BillingException.Kind.UNAVAILABLE,
                            "the ledger could not commit: " + rootMessage(e));
            log.warn("ledger batch of {} changes failed: {}", batch.size(), failure.getMessage());
            for (Op op : batch) {
                future(op).completeExceptionally(failure);
            }
        }
    }

    private static CompletableFuture<?> future(Op op) {
        return switch (op) {
            case Settle s -> s.done();
            case AcquireLease a -> a.done();
            case CloseLease c -> c.done();
            case Grant g -> g.done();
            case Renew r -> r.done();
            case Redeem r -> r.done();
        };
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.toString() : r.getMessage();
    }

    /** The balance changes of one transaction, applied per account at its end. */
    private final class Batch {
        private final Map<String, Long> deltas = new LinkedHashMap<>();
        private final Set<String> touched;
        /** Organizations whose balance this transaction changed, for the low-balance check at its end. */
        private final Set<String> organizations = new java.util.LinkedHashSet<>();

        Batch(Set<String> touched) {
            this.touched = touched;
        }

        void account(String id, String organizationId) {
            if (!knownAccounts.contains(id) && touched.add(id)) {
                jdbc.update("INSERT INTO ledger_accounts (id, organization_id, currency, balance, created_at) "
                        + "VALUES (?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING", id, organizationId,
                        Accounts.CURRENCY, System.currentTimeMillis());
            }
        }

        void delta(String account, long amount) {
            deltas.merge(account, amount, Long::sum);
        }

        void flushBalances() {
            if (deltas.isEmpty()) {
                return;
            }
            List<Object[]> args = new ArrayList<>(deltas.size());
            deltas.forEach((id, d) -> {
                if (d != 0) {
                    args.add(new Object[] {d, id});
                }
            });
            jdbc.batchUpdate("UPDATE ledger_accounts SET balance = balance + ? WHERE id = ?", args);
            deltas.clear();
        }

        /**
         * Records one balanced transaction; returns false when its idempotency key was recorded before (then
         * nothing is written).
         */
        boolean post(String kind, String idempotencyKey, String organizationId, String reference, String memo, long at,
                Map<String, Long> entries) {
            long sum = entries.values().stream().mapToLong(Long::longValue).sum();
            if (sum != 0) {
                throw new IllegalStateException("ledger transaction " + idempotencyKey + " does not balance: " + sum);
            }
            String id = newId();
            int inserted = jdbc.update("INSERT INTO ledger_transactions (id, idempotency_key, kind, organization_id, "
                    + "reference, memo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
                    id, idempotencyKey, kind, organizationId, reference, memo, at);
            if (inserted == 0) {
                return false;
            }
            if (organizationId != null) {
                organizations.add(organizationId);
            }
            int seq = 0;
            List<Object[]> rows = new ArrayList<>(entries.size());
            for (Map.Entry<String, Long> e : entries.entrySet()) {
                rows.add(new Object[] {id, seq++, e.getKey(), e.getValue(), at});
                delta(e.getKey(), e.getValue());
            }
            jdbc.batchUpdate("INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, created_at) "
                    + "VALUES (?, ?, ?, ?, ?)", rows);
            return true;
        }
    }

    private long acquire(Batch b, AcquireLease a) {
        String credits = Accounts.credits(a.organizationId());
        String held = Accounts.held(a.organizationId());
        b.account(credits, a.organizationId());
        b.account(held, a.organizationId());
        b.flushBalances();
        long amount;
        if (a.prepaid()) {
            Long balance = jdbc.query("SELECT balance FROM ledger_accounts WHERE id = ?",
                    rs -> rs.next() ? rs.getLong(1) : 0L, credits);
            amount = Math.min(a.chunk(), balance == null ? 0 : balance);
            if (amount < a.need()) {
                return 0;
            }
            // conditional: another node may have spent the balance since it was read
            if (jdbc.update("UPDATE ledger_accounts SET balance = balance - ? WHERE id = ? AND balance >= ?", amount,
                    credits, amount) == 0) {
                return 0;
            }
            b.delta(credits, amount); // undone below by the posting, which records the debit as an entry
        } else {
            amount = a.chunk();
        }
        jdbc.update("INSERT INTO credit_leases (id, organization_id, node, amount, used, status, expires_at, created_at) "
                + "VALUES (?, ?, ?, ?, 0, 'open', ?, ?)", a.leaseId(), a.organizationId(), a.node(), amount,
                a.expiresAt(), a.at());
        Map<String, Long> entries = new LinkedHashMap<>();
        entries.put(credits, -amount);
        entries.put(held, amount);
        b.post("lease", "lease:" + a.leaseId(), a.organizationId(), a.leaseId(), "credits held by node " + a.node(),
                a.at(), entries);
        return amount;
    }

    private long close(Batch b, CloseLease c) {
        record Row(String org, long amount, long used) {
        }
        List<Row> rows = jdbc.query("SELECT organization_id, amount, used FROM credit_leases WHERE id = ? AND status = 'open'",
                (rs, i) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3)), c.leaseId());
        if (rows.isEmpty()) {
            return -1;
        }
        int closed = c.expiredBefore() > 0
                ? jdbc.update("UPDATE credit_leases SET status = ? WHERE id = ? AND status = 'open' AND expires_at < ?",
                        c.status(), c.leaseId(), c.expiredBefore())
                : jdbc.update("UPDATE credit_leases SET status = ? WHERE id = ? AND status = 'open'", c.status(),
                        c.leaseId());
        if (closed == 0) {
            return -1;
        }
        Row r = rows.getFirst();
        long back = Math.max(0, r.amount() - r.used());
        if (back > 0) {
            b.account(Accounts.credits(r.org()), r.org());
            b.account(Accounts.held(r.org()), r.org());
            Map<String, Long> entries = new LinkedHashMap<>();
            entries.put(Accounts.held(r.org()), -back);
            entries.put(Accounts.credits(r.org()), back);
            b.post("lease-end", "lease-end:" + c.leaseId(), r.org(), c.leaseId(), "lease " + c.status(), c.at(), entries);
        }
        return back;
    }

    private long grant(Batch b, Grant g) {
        String credits = Accounts.credits(g.organizationId());
        b.account(credits, g.organizationId());
        b.account(Accounts.GRANTS, null);
        Map<String, Long> entries = new LinkedHashMap<>();
        entries.put(Accounts.GRANTS, -g.amount());
        entries.put(credits, g.amount());
        b.post("grant", g.idempotencyKey(), g.organizationId(), null, g.memo(), g.at(), entries);
        b.flushBalances();
        return balance(credits);
    }

    /**
     * Marks the code redeemed (only if still unused: a node racing for it on the same database waits for this row
     * and then finds it taken) and credits its amount, in this transaction.
     */
    private Redemption redeem(Batch b, Redeem r) {
        List<CodeRow> rows = codeRows(r.codeHash());
        if (rows.isEmpty()) {
            return new Redemption.Unknown();
        }
        CodeRow c = rows.getFirst();
        String credits = Accounts.credits(r.organizationId());
        if (c.status().equals("unused") && (c.expiresAt() == null || c.expiresAt() > r.at())
                && jdbc.update("UPDATE redemption_codes SET status = 'redeemed', organization_id = ?, redeemed_at = ? "
                        + "WHERE id = ? AND status = 'unused'", r.organizationId(), r.at(), c.id()) == 1) {
            b.account(credits, r.organizationId());
            b.account(Accounts.REDEMPTIONS, null);
            Map<String, Long> entries = new LinkedHashMap<>();
            entries.put(Accounts.REDEMPTIONS, -c.amount());
            entries.put(credits, c.amount());
            b.post("redeem", "redeem:" + c.id(), r.organizationId(), c.id(), "redemption code " + c.prefix(), r.at(),
                    entries);
            b.flushBalances();
            return new Redemption.Redeemed(c.id(), c.prefix(), c.amount(), balance(credits), r.at(), false);
        }
        if (c.status().equals("unused")) {
            c = codeRows(r.codeHash()).getFirst(); // lost a race to another node: see who won
        }
        return switch (c.status()) {
            case "redeemed" -> r.organizationId().equals(c.organizationId())
                    ? new Redemption.Redeemed(c.id(), c.prefix(), c.amount(), balance(credits), c.redeemedAt(), true)
                    : new Redemption.TakenByAnother(c.redeemedAt());
            case "revoked" -> new Redemption.Revoked(c.revokedAt());
            default -> new Redemption.Expired(c.expiresAt() == null ? r.at() : c.expiresAt());
        };
    }

    private record CodeRow(String id, String prefix, String status, @Nullable String organizationId, long redeemedAt,
            long revokedAt, long amount, @Nullable Long expiresAt) {
    }

    private List<CodeRow> codeRows(String codeHash) {
        return jdbc.query("""
                SELECT c.id, c.prefix, c.status, c.organization_id, c.redeemed_at, c.revoked_at, b.amount, b.expires_at
                FROM redemption_codes c JOIN redemption_batches b ON b.id = c.batch_id WHERE c.code_hash = ?""",
                (rs, i) -> new CodeRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getObject(8) == null ? null : rs.getLong(8)),
                codeHash);
    }

    private long balance(String account) {
        Long balance = jdbc.query("SELECT balance FROM ledger_accounts WHERE id = ?",
                rs -> rs.next() ? rs.getLong(1) : 0L, account);
        return balance == null ? 0 : balance;
    }

    private void renew(Renew r) {
        List<Object[]> args = r.leaseIds().stream().map(id -> new Object[] {r.expiresAt(), id}).toList();
        jdbc.batchUpdate("UPDATE credit_leases SET expires_at = ? WHERE id = ? AND status = 'open'", args);
    }

    /** Settlements in bulk: usage rows, lease spending, ledger postings, hourly and daily sums. */
    private void settle(Batch b, List<Settle> settles, List<Runnable> completions) {
        List<Object[]> usage = new ArrayList<>(settles.size());
        for (Settle s : settles) {
            Admission a = s.admission();
            Metered m = s.metered();
            usage.add(new Object[] {a.call().requestId(), a.call().organizationId(), a.call().apiKeyId(),
                    a.call().model(), m.backend(), m.endpoint(), m.stream() ? 1 : 0, m.inputTokens(), m.cachedTokens(),
                    m.outputTokens(), m.reasoningTokens(), m.latencyMillis(), m.ttftMillis(), m.status(), s.price(),
                    s.cost(), s.at()});
        }
        int[] fresh = jdbc.batchUpdate("INSERT INTO usage_records (id, organization_id, api_key_id, model, backend, "
                + "endpoint, stream, input_tokens, cached_tokens, output_tokens, reasoning_tokens, latency_ms, ttft_ms, "
                + "status, price, cost, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO NOTHING", usage);

        List<Settle> charged = new ArrayList<>();
        for (int i = 0; i < settles.size(); i++) {
            Settle s = settles.get(i);
            if (fresh[i] == 0) {
                // settled before (the same request id): report the recorded outcome, change nothing
                completions.add(() -> s.done().complete(new Settlement(s.price(), s.cost())));
                continue;
            }
            completions.add(() -> s.done().complete(new Settlement(s.price(), s.cost())));
            if (s.price() > 0) {
                charged.add(s);
            }
        }
        List<Settle> fromLease = charged.stream().filter(s -> s.admission().leaseId() != null).toList();
        int[] leaseOpen = fromLease.isEmpty() ? new int[0] : jdbc.batchUpdate(
                "UPDATE credit_leases SET used = used + ? WHERE id = ? AND status = 'open'",
                fromLease.stream().map(s -> new Object[] {s.price(), s.admission().leaseId()}).toList());
        Map<Settle, Boolean> viaLease = new HashMap<>();
        for (int i = 0; i < fromLease.size(); i++) {
            viaLease.put(fromLease.get(i), leaseOpen[i] > 0);
        }

        if (!charged.isEmpty()) {
            b.account(Accounts.REVENUE, null);
            List<Object[]> txRows = new ArrayList<>(charged.size());
            List<Object[]> entryRows = new ArrayList<>(charged.size() * 2);
            for (Settle s : charged) {
                String org = s.admission().call().organizationId();
                b.organizations.add(org);
                String from = Boolean.TRUE.equals(viaLease.get(s)) ? Accounts.held(org) : Accounts.credits(org);
                b.account(from, org);
                String id = newId();
                txRows.add(new Object[] {id, "settle:" + s.admission().call().requestId(), "settle", org,
                        s.admission().call().requestId(), s.admission().call().model(), s.at()});
                entryRows.add(new Object[] {id, 0, from, -s.price(), s.at()});
                entryRows.add(new Object[] {id, 1, Accounts.REVENUE, s.price(), s.at()});
                b.delta(from, -s.price());
                b.delta(Accounts.REVENUE, s.price());
            }
            jdbc.batchUpdate("INSERT INTO ledger_transactions (id, idempotency_key, kind, organization_id, reference, "
                    + "memo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", txRows);
            jdbc.batchUpdate("INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, created_at) "
                    + "VALUES (?, ?, ?, ?, ?)", entryRows);
        }

        List<Settle> recorded = new ArrayList<>(settles.size());
        for (int i = 0; i < settles.size(); i++) {
            if (fresh[i] != 0) {
                recorded.add(settles.get(i));
            }
        }
        sums.add(recorded);
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("ledger-writer").daemon(true).start(this::loop);
    }

    /** Stops after everything queued is committed (the web server has drained before this phase). */
    @Override
    public void stop() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 2000; // after the web server and the streams, before the data source
    }
}
