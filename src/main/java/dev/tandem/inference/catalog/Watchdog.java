package dev.tandem.inference.catalog;

import dev.tandem.inference.ChatStream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A deadline for a wait on an engine: when it passes, the waiting thread is interrupted (a virtual thread blocked
 * on a socket then gets its socket closed) and the stream, once there is one, is closed. {@link #disarm()} tells
 * whether the deadline passed first, and clears the interrupt it may have caused.
 */
final class Watchdog implements Runnable {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private static final int ARMED = 0;
    private static final int DISARMED = 1;
    private static final int FIRED = 2;

    private final Thread thread;
    private final @Nullable ScheduledFuture<?> task;
    private volatile @Nullable ChatStream stream;
    private int state = ARMED; // guarded by this

    private Watchdog(long delayNanos, boolean interrupt) {
        this.thread = interrupt ? Thread.currentThread() : null;
        this.task = delayNanos <= 0 ? null : TIMER.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "engine-deadlines");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** Watches the calling thread's wait; {@code delayNanos} ≤ 0: no deadline. */
    static Watchdog forWait(long delayNanos) {
        return new Watchdog(delayNanos, true);
    }

    /** Closes a stream at the deadline, without interrupting anyone. */
    static Watchdog forStream(long delayNanos, ChatStream stream) {
        Watchdog w = new Watchdog(delayNanos, false);
        w.watch(stream);
        return w;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (state != ARMED) {
                return;
            }
            state = FIRED;
            if (thread != null) {
                thread.interrupt();
            }
        }
        ChatStream s = stream;
        if (s != null) {
            s.close();
        }
    }

    /** The stream the wait is for, closed at once when the deadline already passed. */
    void watch(ChatStream s) {
        stream = s;
        if (fired()) {
            s.close();
        }
    }

    synchronized boolean fired() {
        return state == FIRED;
    }

    /** Stops the watch; true when it stopped in time, false when the deadline had passed. */
    boolean disarm() {
        synchronized (this) {
            if (state != FIRED) {
                state = DISARMED;
                if (task != null) {
                    task.cancel(false);
                }
                return true;
            }
        }
        if (thread == Thread.currentThread()) {
            Thread.interrupted(); // the interrupt was ours: it must not leak into the caller
        }
        return false;
    }
}
