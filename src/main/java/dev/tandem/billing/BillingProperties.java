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
 * @param prices       seeds the price catalog: models not in the database's catalog yet are added on start
 * @param priceRefresh how often each node looks for price changes made on other nodes
 * @param limits       rate limits beyond each key's own
 * @param metering     false only to measure what metering costs: calls are then neither limited, charged nor
 *                     recorded (never for a real deployment)
 * @param retention    how long usage is kept at each level of detail
 * @param alerts       delivery of low-balance webhooks
 */
@ConfigurationProperties("tandem.billing")
public record BillingProperties(
        String defaultMode,
        String leaseChunk,
        Duration leaseTtl,
        Duration leaseIdle,
        int settleBatch,
        @Nullable List<Price> prices,
        Duration priceRefresh,
        Limits limits,
        Retention retention,
        Alerts alerts,
        boolean metering) {

    /**
     * How long usage is kept. Daily sums are kept forever; reports read only the sums.
     *
     * @param rawRecords how long each call's usage record is kept ({@code TANDEM_USAGE_RETENTION_RAW})
     * @param hourly     how long hourly sums are kept ({@code TANDEM_USAGE_RETENTION_HOURLY})
     * @param interval   how often expired rows are deleted
     * @param batchSize  most rows deleted in one statement, so that deleting never holds long locks
     */
    public record Retention(Duration rawRecords, Duration hourly, Duration interval, int batchSize) {
        public Retention {
            if (rawRecords.isNegative() || rawRecords.isZero() || hourly.isNegative() || hourly.isZero()) {
                throw new IllegalArgumentException("usage retention periods must be positive, were " + rawRecords
                        + " and " + hourly);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("retention batch size must be at least 1, was " + batchSize);
            }
        }
    }

    /**
     * Delivery of low-balance alerts to organizations' webhooks.
     *
     * @param timeout               longest wait for a webhook to answer (connecting included)
     * @param retryBackoff          wait before the first retry; it doubles for each further one
     * @param maxAttempts           attempts before an alert is given up
     * @param poll                  how often pending deliveries are looked for
     * @param allowPrivateAddresses false: webhooks that resolve to loopback, private or link-local addresses are
     *                              refused (no requests into Tandem's own network)
     */
    public record Alerts(Duration timeout, Duration retryBackoff, int maxAttempts, Duration poll,
            boolean allowPrivateAddresses) {
    }

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
     * A model's prices and costs in decimal currency units ({@code "0.30"}); missing ones are 0.
     *
     * @param model              the public model id
     * @param input              price per million prompt tokens
     * @param cachedInput        price per million cached prompt tokens (defaults to {@code input})
     * @param output             price per million generated tokens
     * @param per10kCharacters   price per 10,000 characters (speech)
     * @param perImage           price per image
     * @param perVideoSecond     price per second of video
     * @param perSong            price per song
     * @param costInput          what Tandem pays upstream per million prompt tokens
     * @param costCachedInput    … per million cached prompt tokens (defaults to {@code costInput})
     * @param costOutput         … per million generated tokens
     * @param costPer10kCharacters … per 10,000 characters
     * @param costPerImage       … per image
     * @param costPerVideoSecond … per second of video
     * @param costPerSong        … per song
     */
    public record Price(String model, @Nullable String input, @Nullable String cachedInput, @Nullable String output,
            @Nullable String per10kCharacters, @Nullable String perImage, @Nullable String perVideoSecond,
            @Nullable String perSong, @Nullable String costInput, @Nullable String costCachedInput,
            @Nullable String costOutput, @Nullable String costPer10kCharacters, @Nullable String costPerImage,
            @Nullable String costPerVideoSecond, @Nullable String costPerSong) {
    }

    public List<Price> pricesOrEmpty() {
        return prices == null ? List.of() : prices;
    }
}
