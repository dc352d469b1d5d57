package dev.tandem.billing.internal;

import dev.tandem.billing.BillingException;
import dev.tandem.billing.BillingProperties;
import dev.tandem.billing.CallRequest;
import dev.tandem.billing.KeyLimits;
import dev.tandem.billing.Money;
import dev.tandem.billing.RateLimitStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which limits a call counts against, and what it counts: one request and its token estimate against the
 * per-minute limits of its key, its organization and its model's tier; its most expensive outcome against its
 * key's daily and monthly spend limits; a place among its key's open streams. All of them are taken in one
 * atomic step of the {@link LimitCounters}, or none.
 *
 * <p>Windows are fixed UTC minutes, days and months, so "600 requests per minute" means at most 600 in every
 * calendar minute, across every node sharing the counters. Tokens are reserved as a prompt estimate plus the
 * most the answer may produce and corrected to what was used at settlement, so a minute's count never passes its
 * limit; spend is reserved and corrected the same way, and its counters start from the day's or month's recorded
 * spend.
 */
final class RateLimiter implements AutoCloseable {

    private static final long MINUTE = 60_000;
    private static final long DAY = 86_400_000;
    private static final long SLACK = 10_000;
    private static final int MAX_COUNTERS = 8;

    private enum Kind { REQUESTS, TOKENS, SPEND_DAY, SPEND_MONTH }

    /** What a call holds in the counters, to be corrected when it ends. */
    record Reservation(String[] tokenKeys, long tokens, String[] spendKeys, long spend, String[] requestKeys,
            @Nullable String slotKey, String member, @Nullable RateLimitStatus status) {
    }

    private record Month(long start, long end) {
    }

    private final LimitCounters counters;
    private final BillingProperties.Limits settings;
    private final Map<String, BillingProperties.Tier> tierOfModel = new HashMap<>();
    private final JdbcClient jdbc;
    private final String prefix;
    private final Map<String, Long> seeded = new ConcurrentHashMap<>();
    private volatile Month month = new Month(0, 0);

    RateLimiter(LimitCounters counters, BillingProperties.Limits settings, JdbcClient jdbc) {
        this.counters = counters;
        this.settings = settings;
        this.jdbc = jdbc;
        this.prefix = settings.redisPrefix() + "rl:";
        if (settings.orgRpm() < 0 || settings.orgTpm() < 0) {
            throw new IllegalArgumentException("org-rpm and org-tpm must be 0 (no limit) or more");
        }
        for (BillingProperties.Tier tier : settings.tiersOrEmpty()) {
            if (tier.rpm() < 0 || tier.tpm() < 0) {
                throw new IllegalArgumentException("tier " + tier.name() + ": rpm and tpm must be 0 (no limit) or more");
            }
            for (String model : tier.models()) {
                BillingProperties.Tier before = tierOfModel.put(model, tier);
                if (before != null) {
                    throw new IllegalArgumentException("model " + model + " is in two tiers: " + before.name()
                            + " and " + tier.name());
                }
            }
        }
    }

    /** The tokens a call is counted for before it runs: a prompt estimate plus the most it may generate. */
    static long tokenEstimate(CallRequest call) {
        // maxInputTokens counts prompt bytes; three bytes a token is a fair estimate for text and code alike
        return (call.maxInputTokens() + 2) / 3 + call.maxOutputTokens();
    }

    /**
     * Counts the call against its limits.
     *
     * @return what it holds, or null when no limit applies to it
     * @throws BillingException RATE_LIMITED, TOKENS_LIMITED or STREAMS_LIMITED (retry later), FORBIDDEN (a spend
     *                          limit was reached)
     */
    @Nullable Reservation admit(CallRequest call, @Nullable Integer orgRpm, @Nullable Integer orgTpm, long mostCost,
            long now) {
        KeyLimits key = call.limits();
        String[] keys = new String[MAX_COUNTERS];
        long[] limits = new long[MAX_COUNTERS];
        long[] amounts = new long[MAX_COUNTERS];
        long[] expireAt = new long[MAX_COUNTERS];
        Kind[] kinds = new Kind[MAX_COUNTERS];
        String[] scopes = new String[MAX_COUNTERS];
        int n = 0;
        long tokens = tokenEstimate(call);
        long minute = now - Math.floorMod(now, MINUTE);
        String base = prefix + "{" + call.organizationId() + "}:";
        String keyBase = base + "k:" + call.apiKeyId() + ":";
        if (key.rpm() != null) {
            n = add(n, keys, limits, amounts, expireAt, kinds, scopes, keyBase + "r:" + minute, key.rpm(), 1,
                    minute + MINUTE + SLACK, Kind.REQUESTS, "this API key");
        }
        if (key.tpm() != null) {
            n = add(n, keys, limits, amounts, expireAt, kinds, scopes, keyBase + "t:" + minute, key.tpm(), tokens,
                    minute + MINUTE + SLACK, Kind.TOKENS, "this API key");
        }
        int rpm = orgRpm != null ? orgRpm : settings.orgRpm();
        int tpm = orgTpm != null ? orgTpm : settings.orgTpm();
        if (rpm > 0) {
            n = add(n, keys, limits, amounts, expireAt, kinds, scopes, base + "o:r:" + minute, rpm, 1,
                    minute + MINUTE + SLACK, Kind.REQUESTS, "your organization");
        }
        if (tpm > 0) {
            n = add(n, keys, limits, amounts, expireAt, kinds, scopes, base + "o:t:" + minute, tpm, tokens,
                    minute + MINUTE + SLACK, Kind.TOKENS, "your organization");
        }
        BillingProperties.Tier tier = tierOfModel.get(call.model());
        if (tier != null && tier.rpm() > 0) {
            n = add(n, keys, limits, amounts, expireAt, kinds, scopes, base + "m:" + tier.name() + ":r:" + minute,
                    tier.rpm(), 1, minute + MINUTE + SLACK, Kind.REQUESTS,
                    "your organization's " + tier.name() + " models");
        }
        if (tier != null && tier.tpm() > 0) {
            n = add(n, keys, limits, amounts, expireAt, kinds, scopes, base + "m:" + tier.name() + ":t:" + minute,
                    tier.tpm(), tokens, minute + MINUTE + SLACK, Kind.TOKENS,
                    "your organization's " + tier.name() + " models");
        }
        if (key.spendLimitDaily() != null) {
            long day = now - Math.floorMod(now, DAY);
            String k = keyBase + "sd:" + day;
            seed(k, call.apiKeyId(), day, day + DAY + SLACK);
            n = add(n, keys, limits, amounts, expireAt, kinds, scopes, k, key.spendLimitDaily(), mostCost,
                    day + DAY + SLACK, Kind.SPEND_DAY, "daily");
        }
        if (key.spendLimitMonthly() != null) {
            Month m = month(now);
            String k = keyBase + "sm:" + m.start();
            seed(k, call.apiKeyId(), m.start(), m.end() + SLACK);
            n = add(n, keys, limits, amounts, expireAt, kinds, scopes, k, key.spendLimitMonthly(), mostCost,
                    m.end() + SLACK, Kind.SPEND_MONTH, "monthly");
        }
        String slotKey = key.maxStreams() != null && call.stream() ? keyBase + "streams" : null;
        if (n == 0 && slotKey == null) {
            return null;
        }
        LimitCounters.Outcome outcome = counters.tryAdd(new LimitCounters.Ask(Arrays.copyOf(keys, n),
                Arrays.copyOf(limits, n), Arrays.copyOf(amounts, n), Arrays.copyOf(expireAt, n), slotKey,
                key.maxStreams() == null ? 0 : key.maxStreams(), call.requestId(),
                now + settings.streamTtl().toMillis(), now));
        RateLimitStatus status = outcome.values().length == n
                ? status(n, limits, amounts, kinds, outcome.values(), outcome.admitted(), minute + MINUTE - now)
                : null;
        if (!outcome.admitted()) {
            throw refusal(outcome, n, limits, amounts, kinds, scopes, key, status, minute + MINUTE - now, now);
        }
        return new Reservation(select(keys, kinds, n, Kind.TOKENS), tokens, spendKeys(keys, kinds, n), mostCost,
                select(keys, kinds, n, Kind.REQUESTS), slotKey, call.requestId(), status);
    }

    /** Corrects the call's reservation to what it used, and frees its place among the open streams. */
    void settle(Reservation r, long tokensUsed, long spent) {
        long[] deltas = new long[r.tokenKeys().length + r.spendKeys().length];
        Arrays.fill(deltas, 0, r.tokenKeys().length, tokensUsed - r.tokens());
        Arrays.fill(deltas, r.tokenKeys().length, deltas.length, spent - r.spend());
        counters.adjust(concat(r.tokenKeys(), r.spendKeys()), deltas, r.slotKey(), r.member());
    }

    /** Takes back everything the call was counted for (it was refused later in admission). */
    void cancel(Reservation r) {
        String[] keys = concat(concat(r.tokenKeys(), r.spendKeys()), r.requestKeys());
        long[] deltas = new long[keys.length];
        Arrays.fill(deltas, 0, r.tokenKeys().length, -r.tokens());
        Arrays.fill(deltas, r.tokenKeys().length, r.tokenKeys().length + r.spendKeys().length, -r.spend());
        Arrays.fill(deltas, r.tokenKeys().length + r.spendKeys().length, keys.length, -1);
        counters.adjust(keys, deltas, r.slotKey(), r.member());
    }

    private static int add(int n, String[] keys, long[] limits, long[] amounts, long[] expireAt, Kind[] kinds,
            String[] scopes, String key, long limit, long amount, long expiry, Kind kind, String scope) {
        keys[n] = key;
        limits[n] = limit;
        amounts[n] = amount;
        expireAt[n] = expiry;
        kinds[n] = kind;
        scopes[n] = scope;
        return n + 1;
    }

    /** Starts a spend counter from the spend recorded so far in its period (once per period on this node). */
    private void seed(String counter, String apiKeyId, long from, long expireAt) {
        if (seeded.containsKey(counter)) {
            return;
        }
        long spent = jdbc.sql("SELECT COALESCE(SUM(price), 0) FROM usage_hourly WHERE api_key_id = :k AND hour >= :from")
                .param("k", apiKeyId).param("from", from).query(Long.class).single();
        counters.seed(counter, spent, expireAt);
        if (seeded.size() > 100_000) {
            long now = System.currentTimeMillis();
            seeded.values().removeIf(until -> until < now);
        }
        seeded.put(counter, expireAt);
    }

    private Month month(long now) {
        Month m = month;
        if (now >= m.start() && now < m.end()) {
            return m;
        }
        ZonedDateTime start = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate()
                .atStartOfDay(ZoneOffset.UTC);
        m = new Month(start.toInstant().toEpochMilli(), start.plusMonths(1).toInstant().toEpochMilli());
        month = m;
        return m;
    }

    private static RateLimitStatus status(int n, long[] limits, long[] amounts, Kind[] kinds, long[] values,
            boolean admitted, long resetMillis) {
        long limitRequests = -1, remainingRequests = Long.MAX_VALUE, limitTokens = -1, remainingTokens = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long remaining = Math.max(0, limits[i] - values[i]);
            if (kinds[i] == Kind.REQUESTS && remaining < remainingRequests) {
                limitRequests = limits[i];
                remainingRequests = remaining;
            } else if (kinds[i] == Kind.TOKENS && remaining < remainingTokens) {
                limitTokens = limits[i];
                remainingTokens = remaining;
            }
        }
        return new RateLimitStatus(limitRequests, limitRequests < 0 ? 0 : remainingRequests, resetMillis, limitTokens,
                limitTokens < 0 ? 0 : remainingTokens, resetMillis);
    }

    private static BillingException refusal(LimitCounters.Outcome outcome, int n, long[] limits, long[] amounts,
            Kind[] kinds, String[] scopes, KeyLimits key, @Nullable RateLimitStatus status, long resetMillis,
            long now) {
        int i = outcome.refused();
        Duration retry = Duration.ofMillis(Math.max(1, resetMillis));
        String again = " Try again in " + (resetMillis + 999) / 1000 + "s.";
        if (i == n) {
            return new BillingException(BillingException.Kind.STREAMS_LIMITED, "This API key already has "
                    + outcome.slots() + " streams open, its limit of " + key.maxStreams()
                    + "; start another when one has ended.", Duration.ofSeconds(1), status);
        }
        long used = outcome.values()[i];
        return switch (kinds[i]) {
            case REQUESTS -> new BillingException(BillingException.Kind.RATE_LIMITED,
                    "Rate limit reached for requests per minute on " + scopes[i] + ": limit " + limits[i] + ", used "
                            + used + "." + again, retry, status);
            case TOKENS -> amounts[i] > limits[i]
                    ? new BillingException(BillingException.Kind.TOKENS_LIMITED, "This request may use up to "
                            + amounts[i] + " tokens (its prompt estimate plus max_tokens), more than the limit of "
                            + limits[i] + " tokens per minute on " + scopes[i]
                            + ": lower max_tokens or shorten the prompt.", null, status)
                    : new BillingException(BillingException.Kind.TOKENS_LIMITED,
                            "Rate limit reached for tokens per minute on " + scopes[i] + ": limit " + limits[i]
                                    + ", used " + used + ", this request may use up to " + amounts[i] + "." + again,
                            retry, status);
            case SPEND_DAY, SPEND_MONTH -> new BillingException(BillingException.Kind.FORBIDDEN,
                    "This API key has reached its " + scopes[i] + " spend limit of $" + Money.format(limits[i]) + ": $"
                            + Money.format(used) + " is spent or held, and this request may cost up to $"
                            + Money.format(amounts[i]) + (kinds[i] == Kind.SPEND_DAY
                                    ? ". The limit starts over at 00:00 UTC"
                                    : ". The limit starts over on the first of the month, 00:00 UTC")
                            + "; lower max_tokens, or raise the key's limit.", null, status);
        };
    }

    private static String[] select(String[] keys, Kind[] kinds, int n, Kind kind) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (kinds[i] == kind) {
                count++;
            }
        }
        String[] out = new String[count];
        for (int i = 0, j = 0; i < n; i++) {
            if (kinds[i] == kind) {
                out[j++] = keys[i];
            }
        }
        return out;
    }

    private static String[] spendKeys(String[] keys, Kind[] kinds, int n) {
        return concat(select(keys, kinds, n, Kind.SPEND_DAY), select(keys, kinds, n, Kind.SPEND_MONTH));
    }

    private static String[] concat(String[] a, String[] b) {
        if (b.length == 0) {
            return a;
        }
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() {
        counters.close();
    }
}
