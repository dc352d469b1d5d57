package dev.tandem.billing;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the billing module ({@code tandem.billing.*}).
 *
 * @param defaultMode  how new organizations are billed: {@code prepaid} or {@code unlimited}
 * @param leaseChunk   credits a node takes from an organization's balance at once (decimal currency units)
 * @param leaseTtl     how long a lease outlives its node's last renewal before any node gives it back
 * @param leaseIdle    how long an unused lease stays before its node gives it back
 * @param settleBatch  most settlements committed in one transaction
 * @param prices       the price catalog seeded from configuration
 * @param limits       rate limits beyond each key's own
 * @param metering     false only to measure what metering costs: calls are then neither limited, charged nor
 *                     recorded (never for a real deployment)
 */
@ConfigurationProperties("tandem.billing")
public record BillingProperties(
        String defaultMode,
        String leaseChunk,
        Duration leaseTtl,
        Duration leaseIdle,
        int settleBatch,
        @Nullable List<Price> prices,
        Limits limits,
        boolean metering) {

    /**
     * Rate limits: where their counters live and the limits that are not a key's own.
     *
     * @param redisUrl    a Redis URL ({@code redis://host:6379/0}) to share counters between nodes; empty: this
     *                    node counts alone
     * @param redisPrefix prefix of every Redis key Tandem writes
     * @param orgRpm      requests per minute of every organization without its own limit (0: none)
     * @param orgTpm      tokens per minute of every organization without its own limit (0: none)
     * @param streamTtl   how long a stream counts against its key's stream cap when its node never says it ended
     * @param tiers       model tiers: limits per organization for a group of models
     */
    public record Limits(String redisUrl, String redisPrefix, int orgRpm, int orgTpm, Duration streamTtl,
            @Nullable List<Tier> tiers) {

        public List<Tier> tiersOrEmpty() {
            return tiers == null ? List.of() : tiers;
        }
    }

    /**
     * A model tier: every organization may make {@code rpm} requests and use {@code tpm} tokens per minute on the
     * tier's models together (0: no limit of that kind).
     */
    public record Tier(String name, List<String> models, int rpm, int tpm) {
    }

    /**
     * A model's prices and costs, in decimal currency units per million tokens ({@code "0.30"}); missing ones are 0.
     *
     * @param model            the public model id
     * @param input            price per million prompt tokens
     * @param cachedInput      price per million cached prompt tokens (defaults to {@code input})
     * @param output           price per million generated tokens
     * @param costInput        what Tandem pays upstream per million prompt tokens
     * @param costCachedInput  … per million cached prompt tokens (defaults to {@code costInput})
     * @param costOutput       … per million generated tokens
     */
    public record Price(String model, @Nullable String input, @Nullable String cachedInput, @Nullable String output,
            @Nullable String costInput, @Nullable String costCachedInput, @Nullable String costOutput) {
    }

    public List<Price> pricesOrEmpty() {
        return prices == null ? List.of() : prices;
    }
}
