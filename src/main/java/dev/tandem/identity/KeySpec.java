package dev.tandem.identity;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a new or changed API key may do. Null limits mean "none".
 *
 * @param name              display name
 * @param role              developer or admin
 * @param expiresAt         epoch ms after which the key stops working
 * @param models            model ids the key may call; empty: every model
 * @param spendLimitDaily   most micro-units the key may spend per UTC day
 * @param spendLimitMonthly most micro-units the key may spend per UTC month
 * @param rpm               requests per minute
 * @param tpm               tokens per minute
 * @param maxStreams        concurrent streams
 * @param ipAllow           CIDR ranges the key may be used from; empty: anywhere
 */
public record KeySpec(String name, KeyRole role, @Nullable Long expiresAt, List<String> models,
        @Nullable Long spendLimitDaily, @Nullable Long spendLimitMonthly, @Nullable Integer rpm, @Nullable Integer tpm,
        @Nullable Integer maxStreams, List<String> ipAllow) {

    /** The most a spend limit may be: a million currency units. */
    public static final long MAX_SPEND_LIMIT = 1_000_000_000_000L;

    /**
     * @throws IllegalArgumentException for a value out of range, naming the field ({@code rpm: …})
     */
    public KeySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        models = List.copyOf(models);
        ipAllow = List.copyOf(ipAllow);
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name: 1 to 200 characters");
        }
        range("spend_limit_daily", spendLimitDaily, MAX_SPEND_LIMIT);
        range("spend_limit_monthly", spendLimitMonthly, MAX_SPEND_LIMIT);
        range("rpm", rpm == null ? null : rpm.longValue(), 10_000_000);
        range("tpm", tpm == null ? null : tpm.longValue(), 2_000_000_000);
        range("max_concurrent_streams", maxStreams == null ? null : maxStreams.longValue(), 100_000);
        if (models.size() > 1000 || ipAllow.size() > 1000) {
            throw new IllegalArgumentException((models.size() > 1000 ? "models" : "ip_allow") + ": at most 1000 entries");
        }
        for (String cidr : ipAllow) {
            try {
                Cidrs.validate(cidr);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ip_allow: " + e.getMessage());
            }
        }
    }

    private static void range(String field, @Nullable Long value, long max) {
        if (value != null && (value < 1 || value > max)) {
            throw new IllegalArgumentException(field + ": must be from 1 to " + max + ", was " + value);
        }
    }

    public static KeySpec named(String name, KeyRole role) {
        return new KeySpec(name, role, null, List.of(), null, null, null, null, null, List.of());
    }
}
