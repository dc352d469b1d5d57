package dev.tandem.billing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every store of rate-limit counters must do; one subclass per store. */
abstract class LimitCountersContract {

    LimitCounters counters;
    String p;

    abstract LimitCounters create();

    @BeforeEach
    void open() {
        counters = create();
        p = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    @AfterEach
    void close() {
        counters.close();
    }

    static LimitCounters.Ask ask(String[] keys, long[] limits, long[] amounts, long now) {
        long[] expiry = new long[keys.length];
        Arrays.fill(expiry, now + 60_000);
        return new LimitCounters.Ask(keys, limits, amounts, expiry, null, 0, "m", now, now);
    }

    static LimitCounters.Ask stream(String slots, int cap, String member, long until, long now) {
        return new LimitCounters.Ask(new String[0], new long[0], new long[0], new long[0], slots, cap, member, until,
                now);
    }

    @Test
    void addsToEveryCounterOrToNone() {
        long now = System.currentTimeMillis();
        String[] keys = {p + "a", p + "b"};
        LimitCounters.Outcome first = counters.tryAdd(ask(keys, new long[] {10, 3}, new long[] {4, 2}, now));
        assertThat(first.admitted()).isTrue();
        assertThat(first.values()).containsExactly(4, 2);

        LimitCounters.Outcome second = counters.tryAdd(ask(keys, new long[] {10, 3}, new long[] {4, 2}, now));
        assertThat(second.refused()).isEqualTo(1);
        assertThat(second.values()).containsExactly(4, 2); // as found: nothing was added to a

        LimitCounters.Outcome third = counters.tryAdd(ask(keys, new long[] {10, 3}, new long[] {6, 1}, now));
        assertThat(third.admitted()).isTrue();
        assertThat(third.values()).containsExactly(10, 3);
    }

    @Test
    void neverLetsConcurrentCallsPastTheLimit() throws Exception {
        long now = System.currentTimeMillis();
        String[] keys = {p + "rpm"};
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 400; i++) {
                results.add(pool.submit(() -> counters.tryAdd(ask(keys, new long[] {150}, new long[] {1}, now))
                        .admitted()));
            }
        }
        int admitted = 0;
        for (Future<Boolean> f : results) {
            admitted += f.get() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(150);
    }

    @Test
    void correctionsApplyToLiveCountersOnly() throws Exception {
        long now = System.currentTimeMillis();
        counters.tryAdd(ask(new String[] {p + "t"}, new long[] {100}, new long[] {80}, now));
        counters.adjust(new String[] {p + "t", p + "gone"}, new long[] {-50, -7}, null, null);
        eventually(() -> counters.tryAdd(ask(new String[] {p + "t"}, new long[] {100}, new long[] {0}, now))
                .values()[0] == 30);
        LimitCounters.Outcome o = counters.tryAdd(ask(new String[] {p + "gone"}, new long[] {100}, new long[] {0},
                now));
        assertThat(o.values()).containsExactly(0); // a correction alone made no counter
    }

    @Test
    void capsOpenStreamsAndFreesPlaces() throws Exception {
        long now = System.currentTimeMillis();
        String slots = p + "streams";
        assertThat(counters.tryAdd(stream(slots, 2, "a", now + 60_000, now)).admitted()).isTrue();
        assertThat(counters.tryAdd(stream(slots, 2, "b", now + 60_000, now)).admitted()).isTrue();
        LimitCounters.Outcome full = counters.tryAdd(stream(slots, 2, "c", now + 60_000, now));
        assertThat(full.refused()).isEqualTo(0);
        assertThat(full.slots()).isEqualTo(2);
        counters.adjust(new String[0], new long[0], slots, "a");
        eventually(() -> counters.tryAdd(stream(slots, 2, "c", now + 60_000, now)).admitted());
    }

    @Test
    void forgetsStreamsOfANodeThatNeverEndedThem() {
        long now = System.currentTimeMillis();
        String slots = p + "streams";
        counters.tryAdd(stream(slots, 1, "crashed", now + 1_000, now));
        assertThat(counters.tryAdd(stream(slots, 1, "next", now + 61_000, now + 500)).admitted()).isFalse();
        assertThat(counters.tryAdd(stream(slots, 1, "next", now + 61_000, now + 2_000)).admitted()).isTrue();
    }

    @Test
    void seedsOnlyCountersThatDoNotExist() {
        long now = System.currentTimeMillis();
        counters.seed(p + "spend", 700, now + 60_000);
        counters.seed(p + "spend", 5, now + 60_000);
        LimitCounters.Outcome o = counters.tryAdd(ask(new String[] {p + "spend"}, new long[] {1000},
                new long[] {300}, now));
        assertThat(o.admitted()).isTrue();
        assertThat(o.values()).containsExactly(1000);
        assertThat(counters.tryAdd(ask(new String[] {p + "spend"}, new long[] {1000}, new long[] {1}, now)).admitted())
                .isFalse();
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }
}
