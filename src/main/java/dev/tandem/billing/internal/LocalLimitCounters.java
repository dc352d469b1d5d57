package dev.tandem.billing.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Counters in this node's memory, for a single node: one lock makes each {@link #tryAdd} atomic (it is a few map
 * lookups, so the lock is held for well under a microsecond). Ended windows are swept out as time passes.
 */
final class LocalLimitCounters implements LimitCounters {

    private static final long SWEEP_EVERY_MILLIS = 10_000;

    private static final class Counter {
        long value;
        final long expireAt;

        Counter(long value, long expireAt) {
            this.value = value;
            this.expireAt = expireAt;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<String, Map<String, Long>> slots = new HashMap<>();
    private long nextSweep;

    @Override
    public Outcome tryAdd(Ask ask) {
        int n = ask.keys().length;
        long[] values = new long[n];
        lock.lock();
        try {
            sweep(ask.now());
            int refused = -1;
            for (int i = 0; i < n; i++) {
                Counter c = counters.get(ask.keys()[i]);
                values[i] = c == null || c.expireAt <= ask.now() ? 0 : c.value;
                if (refused < 0 && values[i] + ask.amounts()[i] > ask.limits()[i]) {
                    refused = i;
                }
            }
            Map<String, Long> open = null;
            long slotCount = 0;
            if (ask.slotKey() != null) {
                open = slots.computeIfAbsent(ask.slotKey(), k -> new HashMap<>());
                open.values().removeIf(until -> until <= ask.now());
                slotCount = open.size();
                if (refused < 0 && slotCount >= ask.slotCap()) {
                    refused = n;
                }
            }
            if (refused >= 0) {
                return new Outcome(refused, values, slotCount);
            }
            for (int i = 0; i < n; i++) {
                Counter c = counters.get(ask.keys()[i]);
                if (c == null || c.expireAt <= ask.now()) {
                    c = new Counter(0, ask.expireAt()[i]);
                    counters.put(ask.keys()[i], c);
                }
                c.value += ask.amounts()[i];
                values[i] = c.value;
            }
            if (open != null) {
                open.put(ask.member(), ask.slotUntil());
                slotCount++;
            }
            return new Outcome(-1, values, slotCount);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void adjust(String[] keys, long[] deltas, @Nullable String slotKey, @Nullable String member) {
        lock.lock();
        try {
            for (int i = 0; i < keys.length; i++) {
                Counter c = counters.get(keys[i]);
                if (c != null) {
                    c.value += deltas[i];
                }
            }
            if (slotKey != null && member != null) {
                Map<String, Long> open = slots.get(slotKey);
                if (open != null) {
                    open.remove(member);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void seed(String key, long value, long expireAt) {
        lock.lock();
        try {
            counters.putIfAbsent(key, new Counter(value, expireAt));
        } finally {
            lock.unlock();
        }
    }

    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_EVERY_MILLIS;
        counters.values().removeIf(c -> c.expireAt <= now);
        for (Iterator<Map<String, Long>> it = slots.values().iterator(); it.hasNext(); ) {
            Map<String, Long> open = it.next();
            open.values().removeIf(until -> until <= now);
            if (open.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public void close() {
    }
}
