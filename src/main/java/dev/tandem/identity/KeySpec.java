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

    public KeySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        models = List.copyOf(models);
        ipAllow = List.copyOf(ipAllow);
    }

    public static KeySpec named(String name, KeyRole role) {
        return new KeySpec(name, role, null, List.of(), null, null, null, null, null, List.of());
    }
}
