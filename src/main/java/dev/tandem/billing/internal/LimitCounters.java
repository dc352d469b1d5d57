package dev.tandem.billing.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Windowed counters with limits, shared by every node that uses the same store. A counter lives until its
 * expiry time; {@link #tryAdd} adds to several at once, all or nothing, so a call is counted against every limit
 * that applies to it or against none.
 */
interface LimitCounters extends AutoCloseable {

    /**
     * What one call asks of the counters.
     *
     * @param keys      the counters
     * @param limits    the most each counter may reach
     * @param amounts   what to add to each
     * @param expireAt  when each counter ends (epoch ms)
     * @param slotKey   the set of open streams to take a place in, or null
     * @param slotCap   the most members that set may have
     * @param member    this call's member in the set
     * @param slotUntil when the member stops counting if it is never removed (a crashed node)
     * @param now       the current time (epoch ms)
     */
    record Ask(String[] keys, long[] limits, long[] amounts, long[] expireAt, @Nullable String slotKey, int slotCap,
            String member, long slotUntil, long now) {
        public Ask {
            Objects.requireNonNull(member, "member");
            if (limits.length != keys.length || amounts.length != keys.length || expireAt.length != keys.length) {
                throw new IllegalArgumentException("keys, limits, amounts and expiry times must be as many");
            }
        }
    }

    /**
     * The answer: {@code refused} is -1 when everything was added, the index of the first counter that would have
     * passed its limit, or {@code keys.length} when the stream set was full. {@code values} are the counters after
     * adding (admitted) or as found (refused); {@code slots} is the number of open streams.
     */
    record Outcome(int refused, long[] values, long slots) {
        boolean admitted() {
            return refused < 0;
        }
    }

    Outcome tryAdd(Ask ask);

    /**
     * Adds {@code deltas} to counters that still exist (a correction after the fact; an ended window is left
     * alone) and takes {@code member} out of {@code slotKey}, when given. May return before it is applied.
     */
    void adjust(String[] keys, long[] deltas, @Nullable String slotKey, @Nullable String member);

    /** Sets a counter that does not exist yet to {@code value} (a total carried in from the database). */
    void seed(String key, long value, long expireAt);

    @Override
    void close();
}
