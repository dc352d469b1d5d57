package dev.tandem.billing.internal;

import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a local engine's machine costs per call: its hourly cost spread over the tokens it serves.
 *
 * <p><b>Throughput.</b> Per model, this node measures the tokens (prompt and output) its engine serves per second
 * <em>while busy</em>, i.e. while at least one admitted call of the model is in flight. Calls running together
 * share the busy time, so parallel decoding raises the measured rate as it raises real throughput, and idle time
 * is not charged to anyone. Completed calls are collected into samples of at least {@link #SAMPLE_MILLIS} of busy
 * time (the first call makes the first sample on its own); each sample moves the rate a quarter of the way
 * towards it (an exponentially weighted average), so the rate follows load changes within a few samples without
 * jumping on one odd call. Rates are integers: thousandths of a token per second.
 *
 * <p><b>Cost.</b> A call of {@code tokens} tokens on a machine costing {@code hourly} micro-units per hour, at a
 * measured rate of {@code r} tokens per second, costs
 * <pre>  cost = hourly × tokens / (r × 3600)</pre>
 * micro-units: its share of the machine-hour at the rate the machine actually serves. With the rate in
 * thousandths ({@code m = r × 1000}) that is {@code hourly × tokens × 1000 / (m × 3600)}, computed exactly in
 * integers and rounded half up. Example: a $3.60 machine-hour (3,600,000 micro-units) serving 100 tokens a
 * second (360,000 tokens an hour) costs 10 micro-units per token, so a call of 50 tokens costs 500.
 *
 * <p>Thread-safe.
 */
final class EngineThroughput {

    /** Busy time a sample collects before it updates the rate. */
    static final long SAMPLE_MILLIS = 1_000;

    private final Map<String, Meter> meters = new ConcurrentHashMap<>();

    /** One model's meter; guarded by itself. */
    private static final class Meter {
        int inFlight;
        long busySince;
        long sampleBusyMillis;
        long sampleTokens;
        long rate;
    }

    /** A call of {@code model} was admitted at {@code now} (epoch ms). */
    void started(String model, long now) {
        Meter m = meters.computeIfAbsent(model, k -> new Meter());
        synchronized (m) {
            if (m.inFlight++ == 0) {
                m.busySince = now;
            }
        }
    }

    /**
     * A call of {@code model} that served {@code tokens} ended at {@code now}.
     *
     * @return the measured rate afterwards, in thousandths of a token per second (0 while nothing was measured)
     */
    long finished(String model, long tokens, long now) {
        Meter m = meters.computeIfAbsent(model, k -> new Meter());
        synchronized (m) {
            if (m.inFlight > 0) {
                m.sampleBusyMillis += Math.max(0, now - m.busySince);
                m.busySince = now;
                m.inFlight--;
            }
            m.sampleTokens += Math.max(0, tokens);
            if (m.sampleTokens > 0 && (m.rate == 0 || m.sampleBusyMillis >= SAMPLE_MILLIS)) {
                // tokens per ms × 10^6 = tokens per second × 1000
                long sample = Math.multiplyExact(m.sampleTokens, 1_000_000L) / Math.max(1, m.sampleBusyMillis);
                m.rate = m.rate == 0 ? Math.max(1, sample) : Math.max(1, m.rate + (sample - m.rate) / 4);
                m.sampleTokens = 0;
                m.sampleBusyMillis = 0;
            }
            return m.rate;
        }
    }

    /** The measured rate of {@code model}, in thousandths of a token per second; 0 when none yet. */
    long rate(String model) {
        Meter m = meters.get(model);
        if (m == null) {
            return 0;
        }
        synchronized (m) {
            return m.rate;
        }
    }

    /**
     * {@code hourly × tokens × 1000 / (milliTokensPerSecond × 3600)} micro-units, rounded half up (see the class
     * comment); 0 when any of them is 0.
     */
    static long machineCost(long hourly, long tokens, long milliTokensPerSecond) {
        if (hourly <= 0 || tokens <= 0 || milliTokensPerSecond <= 0) {
            return 0;
        }
        BigInteger numerator = BigInteger.valueOf(hourly).multiply(BigInteger.valueOf(tokens))
                .multiply(BigInteger.valueOf(1_000L));
        BigInteger denominator = BigInteger.valueOf(milliTokensPerSecond).multiply(BigInteger.valueOf(3_600L));
        return numerator.add(denominator.shiftRight(1)).divide(denominator).longValueExact();
    }
}
