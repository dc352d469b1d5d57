package dev.tandem.billing.internal;

import dev.tandem.billing.BillingProperties;
import dev.tandem.billing.Money;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Credits this node holds for the calls it admits. A prepaid organization's first call takes a lease (up to
 * {@code leaseChunk}, at most its balance) from its credits in one ledger transaction; later calls hold their
 * maximum cost against the lease in memory, and settlement spends from it. So admission costs no database write
 * while the lease lasts, and no node can spend more than it was leased.
 *
 * <p>This node renews its leases; one left idle is given back; one whose node stopped renewing it (a crash)
 * expires and is given back, net of what was settled against it, by whichever node sees it first.
 */
@Component
class CreditLeases implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CreditLeases.class);

    /** A lease in this node's memory. */
    static final class Lease {
        final String id;
        final String organizationId;
        final AtomicLong remaining;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile long lastUsed;
        volatile boolean retired;

        Lease(String id, String organizationId, long amount, long now) {
            this.id = id;
            this.organizationId = organizationId;
            this.remaining = new AtomicLong(amount);
            this.lastUsed = now;
        }

        /** Holds {@code amount} if the lease still has it. */
        boolean take(long amount) {
            while (true) {
                long r = remaining.get();
                if (retired || r < amount) {
                    return false;
                }
                if (remaining.compareAndSet(r, r - amount)) {
                    inFlight.incrementAndGet();
                    return true;
                }
            }
        }
    }

    private final LedgerWriter writer;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final long chunk;
    private final long ttlMillis;
    private final long idleMillis;
    private final String node;
    private final Map<String, Lease> current = new ConcurrentHashMap<>();
    private final Map<String, Lease> all = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService maintenance;
    private volatile boolean running;

    CreditLeases(LedgerWriter writer, JdbcClient jdbc, Clock clock, BillingProperties properties) {
        this.writer = writer;
        this.jdbc = jdbc;
        this.clock = clock;
        this.chunk = Money.parse(properties.leaseChunk());
        this.ttlMillis = properties.leaseTtl().toMillis();
        this.idleMillis = properties.leaseIdle().toMillis();
        this.node = ManagementFactory.getRuntimeMXBean().getName() + "-" + LedgerWriter.newId().substring(14);
    }

    /**
     * Holds {@code amount} for a call of a prepaid organization.
     *
     * @return the lease holding it, or null when the organization's credits cannot cover it
     */
    @Nullable Lease hold(String organizationId, long amount) {
        Lease l = current.get(organizationId);
        if (l != null && l.take(amount)) {
            l.lastUsed = clock.millis();
            return l;
        }
        synchronized (locks.computeIfAbsent(organizationId, k -> new Object())) {
            l = current.get(organizationId);
            if (l != null && l.take(amount)) {
                l.lastUsed = clock.millis();
                return l;
            }
            if (l != null) {
                l.retired = true; // drained: it is given back once its calls have settled
            }
            long now = clock.millis();
            String id = LedgerWriter.newId();
            CompletableFuture<Long> done = new CompletableFuture<>();
            long leased = writer.submit(new LedgerWriter.AcquireLease(id, organizationId, node, amount,
                    Math.max(amount, chunk), true, now + ttlMillis, now, done), done);
            if (leased < amount) {
                current.remove(organizationId);
                return null;
            }
            Lease fresh = new Lease(id, organizationId, leased, now);
            all.put(id, fresh);
            if (!fresh.take(amount)) {
                throw new IllegalStateException("a new lease of " + leased + " cannot hold " + amount);
            }
            current.put(organizationId, fresh);
            return fresh;
        }
    }

    /** The call held {@code held} and spent {@code spent} (already committed): the difference is free again. */
    void release(String leaseId, long held, long spent) {
        Lease l = all.get(leaseId);
        if (l == null) {
            return;
        }
        l.remaining.addAndGet(held - spent);
        l.inFlight.decrementAndGet();
        l.lastUsed = clock.millis();
    }

    /** Renews this node's leases, gives back idle and drained ones, and expires other nodes' abandoned ones. */
    void maintain() {
        long now = clock.millis();
        List<String> renew = new ArrayList<>();
        for (Lease l : all.values()) {
            boolean idle = now - l.lastUsed > idleMillis;
            if (l.inFlight.get() == 0 && (l.retired || idle)) {
                l.retired = true;
                current.remove(l.organizationId, l);
                if (l.inFlight.get() == 0) {
                    close(l.id, "returned", 0);
                    all.remove(l.id);
                    continue;
                }
            }
            renew.add(l.id);
        }
        if (!renew.isEmpty()) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            writer.submit(new LedgerWriter.Renew(renew, now + ttlMillis, done), done);
        }
        List<String> abandoned = jdbc.sql("SELECT id FROM credit_leases WHERE status = 'open' AND expires_at < :now")
                .param("now", now).query(String.class).list();
        for (String id : abandoned) {
            if (!all.containsKey(id)) {
                long back = close(id, "expired", now);
                if (back >= 0) {
                    log.info("gave back {} of expired credit lease {}", Money.format(back), id);
                }
            }
        }
    }

    private long close(String id, String status, long expiredBefore) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        return writer.submit(new LedgerWriter.CloseLease(id, status, expiredBefore, clock.millis(), done), done);
    }

    @Override
    public void start() {
        running = true;
        maintenance = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("credit-leases").daemon(true)
                .factory());
        long period = Math.max(1_000, Math.min(ttlMillis / 3, 30_000));
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                maintain();
            } catch (RuntimeException e) {
                log.warn("credit lease maintenance failed: {}", e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Gives back every lease of this node whose calls have settled (the web server drained before this phase). */
    @Override
    public void stop() {
        running = false;
        maintenance.shutdownNow();
        for (Lease l : all.values()) {
            if (l.inFlight.get() == 0) {
                try {
                    close(l.id, "returned", 0);
                } catch (RuntimeException e) {
                    log.warn("could not give back credit lease {}: {}", l.id, e.getMessage());
                }
            }
        }
        all.clear();
        current.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the ledger writer stops (higher phases stop first). */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 3000;
    }
}
