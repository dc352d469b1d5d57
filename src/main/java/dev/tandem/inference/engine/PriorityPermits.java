package dev.tandem.inference.engine;

import dev.tandem.inference.QueuePriority;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed number of permits (an engine's slots, a channel's concurrency limit) with a bounded queue served by
 * {@link QueuePriority} without starving anyone: each waiter is let in by its arrival time plus a delay for its
 * priority — none for {@code HIGH}, one head start for {@code NORMAL}, two for {@code LOW} — earliest first. Calls
 * that arrive together are served highest priority first, then in arrival order; a call never waits more than the
 * head start (two for {@code LOW}) behind calls that came after it. A free permit never goes past a waiting call:
 * {@link #tryAcquire()} fails while anyone waits. Thread-safe; waiting parks only the caller (a virtual thread
 * unmounts).
 */
public final class PriorityPermits {

    /** How an {@link #acquire} ended. */
    public enum Outcome {
        ACQUIRED,
        /** {@code maxQueue} calls were already waiting. */
        QUEUE_FULL,
        /** No permit came within the timeout. */
        TIMED_OUT
    }

    /** How far ahead a {@code HIGH} call goes of a {@code NORMAL} one (and that of a {@code LOW} one) by default. */
    public static final Duration HEAD_START = Duration.ofSeconds(5);

    private static final class Waiter {
        final long due;
        final long order;
        final Condition turn;
        boolean granted;

        Waiter(long due, long order, Condition turn) {
            this.due = due;
            this.order = order;
            this.turn = turn;
        }
    }

    private static final Comparator<Waiter> FIRST = (a, b) -> {
        long d = a.due - b.due; // nanoTime values: compared by difference
        return d != 0 ? Long.signum(d) : Long.compare(a.order, b.order);
    };

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> queue = new PriorityQueue<>(FIRST);
    private final int permits;
    private final int maxQueue;
    private final long headStartNanos;
    private int available;
    private long arrivals;

    public PriorityPermits(int permits, int maxQueue) {
        this(permits, maxQueue, HEAD_START);
    }

    public PriorityPermits(int permits, int maxQueue, Duration headStart) {
        if (permits < 1 || maxQueue < 0 || headStart.isNegative()) {
            throw new IllegalArgumentException("permits must be ≥ 1, the queue and the head start ≥ 0, were "
                    + permits + " / " + maxQueue + " / " + headStart);
        }
        this.permits = permits;
        this.maxQueue = maxQueue;
        this.headStartNanos = headStart.toNanos();
        this.available = permits;
    }

    /** Takes a permit if one is free and nobody waits for it. */
    public boolean tryAcquire() {
        lock.lock();
        try {
            if (available > 0 && queue.isEmpty()) {
                available--;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a permit, waiting in the queue at {@code priority} for at most {@code timeout}. */
    public Outcome acquire(QueuePriority priority, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            if (available > 0 && queue.isEmpty()) {
                available--;
                return Outcome.ACQUIRED;
            }
            if (queue.size() >= maxQueue) {
                return Outcome.QUEUE_FULL;
            }
            long delay = switch (priority) {
                case HIGH -> 0;
                case NORMAL -> headStartNanos;
                case LOW -> 2 * headStartNanos;
            };
            Waiter me = new Waiter(System.nanoTime() + delay, arrivals++, lock.newCondition());
            queue.add(me);
            long left = timeout.toNanos();
            try {
                while (!me.granted) {
                    if (left <= 0) {
                        queue.remove(me);
                        return Outcome.TIMED_OUT;
                    }
                    left = me.turn.awaitNanos(left);
                }
                return Outcome.ACQUIRED;
            } catch (InterruptedException e) {
                if (me.granted) {
                    handOn(); // the permit came with the interrupt: pass it to the next in line
                } else {
                    queue.remove(me);
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives a permit back: to the first in the queue, or to the pool. */
    public void release() {
        lock.lock();
        try {
            handOn();
        } finally {
            lock.unlock();
        }
    }

    private void handOn() {
        Waiter next = queue.poll();
        if (next == null) {
            available = Math.min(permits, available + 1);
            return;
        }
        next.granted = true;
        next.turn.signal();
    }

    /** Permits taken now. */
    public int inUse() {
        lock.lock();
        try {
            return permits - available;
        } finally {
            lock.unlock();
        }
    }

    /** Calls waiting now. */
    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every permit is back and then keeps them all, so that nothing starts after it (for closing an
     * engine); false when the time ran out first.
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            lock.lock();
            try {
                if (available == permits) {
                    available = 0;
                    return true;
                }
            } finally {
                lock.unlock();
            }
            if (System.nanoTime() - until >= 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
