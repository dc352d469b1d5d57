package dev.tandem.inference.engine;

import dev.tandem.inference.QueuePriority;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed number of permits (an engine's slots, a channel's concurrency limit) with a bounded queue that is served
 * by {@link QueuePriority}, highest first, and in arrival order within one priority. A free permit never goes past
 * a waiting call: {@link #tryAcquire()} fails while anyone waits. Thread-safe; waiting parks only the caller (a
 * virtual thread unmounts).
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

    private static final class Waiter {
        final QueuePriority priority;
        final long order;
        final Condition turn;
        boolean granted;

        Waiter(QueuePriority priority, long order, Condition turn) {
            this.priority = priority;
            this.order = order;
            this.turn = turn;
        }
    }

    private static final Comparator<Waiter> FIRST = Comparator.<Waiter, QueuePriority>comparing(w -> w.priority)
            .reversed().thenComparingLong(w -> w.order);

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> queue = new PriorityQueue<>(FIRST);
    private final int permits;
    private final int maxQueue;
    private int available;
    private long arrivals;

    public PriorityPermits(int permits, int maxQueue) {
        if (permits < 1 || maxQueue < 0) {
            throw new IllegalArgumentException("permits must be ≥ 1 and the queue ≥ 0, were " + permits + " / "
                    + maxQueue);
        }
        this.permits = permits;
        this.maxQueue = maxQueue;
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
            Waiter me = new Waiter(priority, arrivals++, lock.newCondition());
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
