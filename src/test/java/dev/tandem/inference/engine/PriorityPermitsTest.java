package dev.tandem.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.inference.QueuePriority;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PriorityPermitsTest {

    static final Duration LONG = Duration.ofSeconds(30);

    /** Starts a waiter that records its name when let in and gives the permit back at once. */
    static Thread waiter(PriorityPermits permits, QueuePriority priority, String name, List<String> order) {
        int before = permits.waiting();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                if (permits.acquire(priority, LONG) == PriorityPermits.Outcome.ACQUIRED) {
                    order.add(name);
                    permits.release();
                }
            } catch (InterruptedException e) {
                order.add(name + " interrupted");
            }
        });
        awaitWaiting(permits, before + 1);
        return t;
    }

    static void awaitWaiting(PriorityPermits permits, int n) {
        long until = System.nanoTime() + LONG.toNanos();
        while (permits.waiting() != n) {
            assertThat(System.nanoTime() - until).as("waiting for %d in the queue", n).isNegative();
            Thread.onSpinWait();
        }
    }

    @Test
    void higherPrioritiesAreLetInFirstAndEachPriorityInArrivalOrder() throws Exception {
        PriorityPermits permits = new PriorityPermits(1, 10);
        assertThat(permits.tryAcquire()).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> all = List.of(
                waiter(permits, QueuePriority.LOW, "low-1", order),
                waiter(permits, QueuePriority.NORMAL, "normal-1", order),
                waiter(permits, QueuePriority.HIGH, "high-1", order),
                waiter(permits, QueuePriority.NORMAL, "normal-2", order),
                waiter(permits, QueuePriority.LOW, "low-2", order),
                waiter(permits, QueuePriority.HIGH, "high-2", order));
        assertThat(permits.tryAcquire()).as("a free permit never goes past the queue").isFalse();
        permits.release();
        for (Thread t : all) {
            t.join(LONG);
        }
        assertThat(order).containsExactly("high-1", "high-2", "normal-1", "normal-2", "low-1", "low-2");
        assertThat(permits.inUse()).isZero();
        assertThat(permits.waiting()).isZero();
    }

    @Test
    void nobodyStarvesACallThatWaitedLongerThanTheHeadStartGoesBeforeAHigherOneThatJustCame() throws Exception {
        PriorityPermits permits = new PriorityPermits(1, 10, Duration.ofMillis(100));
        assertThat(permits.tryAcquire()).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        Thread low = waiter(permits, QueuePriority.LOW, "low", order);
        Thread normal = waiter(permits, QueuePriority.NORMAL, "normal", order);
        Thread.sleep(250); // past two head starts: both are due
        Thread high = waiter(permits, QueuePriority.HIGH, "high", order);
        permits.release();
        for (Thread t : List.of(low, normal, high)) {
            t.join(LONG);
        }
        assertThat(order).containsExactly("normal", "low", "high");
    }

    @Test
    void aFullQueueRefusesAtOnceAndAWaitEndsAtItsTimeout() throws Exception {
        PriorityPermits permits = new PriorityPermits(1, 1);
        assertThat(permits.acquire(QueuePriority.NORMAL, LONG)).isEqualTo(PriorityPermits.Outcome.ACQUIRED);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread queued = waiter(permits, QueuePriority.NORMAL, "queued", order);
        long t0 = System.nanoTime();
        assertThat(permits.acquire(QueuePriority.HIGH, LONG)).as("even a high priority finds the queue full")
                .isEqualTo(PriorityPermits.Outcome.QUEUE_FULL);
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(1).toNanos());
        queued.interrupt();
        queued.join(LONG);
        assertThat(order).containsExactly("queued interrupted");
        assertThat(permits.waiting()).as("an interrupted waiter leaves the queue").isZero();

        t0 = System.nanoTime();
        assertThat(permits.acquire(QueuePriority.NORMAL, Duration.ofMillis(200)))
                .isEqualTo(PriorityPermits.Outcome.TIMED_OUT);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(190).toNanos());
        assertThat(permits.waiting()).isZero();
        permits.release();
        assertThat(permits.inUse()).isZero();
        assertThat(permits.tryAcquire()).isTrue();
    }

    @Test
    void drainWaitsForEveryPermitAndKeepsThemSoThatNothingStartsAfterIt() throws Exception {
        PriorityPermits permits = new PriorityPermits(2, 4);
        assertThat(permits.tryAcquire()).isTrue();
        assertThat(permits.drain(Duration.ofMillis(50))).as("one permit is still out").isFalse();
        AtomicReference<Boolean> drained = new AtomicReference<>();
        Thread closing = Thread.ofVirtual().start(() -> {
            try {
                drained.set(permits.drain(LONG));
            } catch (InterruptedException e) {
                drained.set(false);
            }
        });
        Thread.sleep(50);
        permits.release();
        closing.join(LONG);
        assertThat(drained.get()).isTrue();
        assertThat(permits.tryAcquire()).isFalse();
        assertThat(permits.acquire(QueuePriority.HIGH, Duration.ofMillis(50)))
                .isEqualTo(PriorityPermits.Outcome.TIMED_OUT);
    }

    @Test
    void manyThreadsNeverHoldMoreThanThePermits() throws Exception {
        PriorityPermits permits = new PriorityPermits(3, 1000);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 400; i++) {
                QueuePriority p = QueuePriority.values()[i % 3];
                pool.submit(() -> {
                    if (permits.acquire(p, LONG) == PriorityPermits.Outcome.ACQUIRED) {
                        int now = inside.incrementAndGet();
                        most.accumulateAndGet(now, Math::max);
                        Thread.yield();
                        inside.decrementAndGet();
                        served.incrementAndGet();
                        permits.release();
                    }
                    return null;
                });
            }
        }
        assertThat(served.get()).isEqualTo(400);
        assertThat(most.get()).isBetween(1, 3);
        assertThat(permits.inUse()).isZero();
    }
}
