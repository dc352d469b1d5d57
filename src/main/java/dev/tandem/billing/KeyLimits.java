package dev.tandem.billing;

import org.jspecify.annotations.Nullable;

/**
 * The limits an API key carries into admission. Null means "no limit of this kind on the key" (the organization's
 * and the model tier's limits still apply).
 *
 * @param rpm               requests per minute
 * @param tpm               tokens per minute (prompt estimate plus max output, corrected to actual at settlement)
 * @param maxStreams        concurrent streams
 * @param spendLimitDaily   micro-units the key may spend (or hold) per UTC day
 * @param spendLimitMonthly micro-units the key may spend (or hold) per UTC month
 */
public record KeyLimits(@Nullable Integer rpm, @Nullable Integer tpm, @Nullable Integer maxStreams,
        @Nullable Long spendLimitDaily, @Nullable Long spendLimitMonthly) {

    public static final KeyLimits NONE = new KeyLimits(null, null, null, null, null);

    public KeyLimits {
        positive("rpm", rpm);
        positive("tpm", tpm);
        positive("maxStreams", maxStreams);
        positive("spendLimitDaily", spendLimitDaily);
        positive("spendLimitMonthly", spendLimitMonthly);
    }

    private static void positive(String name, @Nullable Number value) {
        if (value != null && value.longValue() <= 0) {
            throw new IllegalArgumentException(name + " must be positive when set, was " + value);
        }
    }

    /** True when the key has a limit that admission must count. */
    public boolean any() {
        return rpm != null || tpm != null || maxStreams != null || spendLimitDaily != null || spendLimitMonthly != null;
    }
}
