package dev.tandem.billing;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reports of an organization's usage and spend, read only from the hourly and daily sums that settlement keeps
 * (never from the records of single calls), so they stay fast however many calls there were. Periods are UTC
 * hours and days; times are epoch milliseconds. Thread-safe.
 */
public interface UsageReports {

    /** The detail of a report: hourly sums (kept for {@code retention.hourly}) or daily sums (kept forever). */
    enum Period {
        HOUR(3_600_000L), DAY(86_400_000L);

        private final long millis;

        Period(long millis) {
            this.millis = millis;
        }

        public long millis() {
            return millis;
        }

        /** The start of the period {@code at} falls in. */
        public long floor(long at) {
            return at - Math.floorMod(at, millis);
        }
    }

    /**
     * What to sum: one organization's periods starting in {@code [from, to)}, split by model and/or key when asked,
     * limited to some models and keys when given (empty: all).
     */
    record Query(String organizationId, Period period, long from, long to, boolean byModel, boolean byKey,
            Set<String> models, Set<String> apiKeyIds) {
        public Query {
            Objects.requireNonNull(organizationId, "organizationId");
            Objects.requireNonNull(period, "period");
            models = Set.copyOf(models);
            apiKeyIds = Set.copyOf(apiKeyIds);
            if (to < from) {
                throw new IllegalArgumentException("a report's end must not be before its start: " + from + " > " + to);
            }
        }
    }

    /**
     * The usage of one period (and model and key, when the query split by them; null otherwise).
     *
     * @param periodStart     the period's start, epoch ms
     * @param price           micro-units the organization was charged
     * @param cost            micro-units the calls cost Tandem (engine cost)
     */
    record Sum(long periodStart, @Nullable String model, @Nullable String apiKeyId, long requests, long inputTokens,
            long cachedTokens, long outputTokens, long reasoningTokens, long price, long cost) {
    }

    /** The sums matching {@code query}, ordered by period, then model, then key. */
    List<Sum> usage(Query query);

    /** Like {@link #usage}, handing each sum to {@code each} as it is read (for large exports). */
    void forEach(Query query, Consumer<Sum> each);

    /** Tokens and spend per UTC day and model, for days {@code [from, to)}: what a chart per model draws. */
    default List<Sum> dailyByModel(String organizationId, LocalDate from, LocalDate to) {
        return usage(new Query(organizationId, Period.DAY, millis(from), millis(to), true, false, Set.of(), Set.of()));
    }

    /** Tokens and spend per UTC day and API key, for days {@code [from, to)}. */
    default List<Sum> dailyByKey(String organizationId, LocalDate from, LocalDate to) {
        return usage(new Query(organizationId, Period.DAY, millis(from), millis(to), false, true, Set.of(), Set.of()));
    }

    /**
     * An organization's statement for a UTC calendar month, from the ledger (balances and top-ups) and the daily
     * sums (spend per model): {@code closing = opening + topUps - spend}, and the closing balance of a finished
     * month is the opening balance of the next.
     */
    Statement statement(String organizationId, YearMonth month);

    /**
     * A month's statement. Amounts are micro-units; a balance counts credits available and on hold.
     *
     * @param from        the month's first instant, epoch ms
     * @param to          the next month's first instant
     * @param provisional true while the month is not over (figures so far)
     * @param topUps      credits added in the month (grants, redemption codes, payments), oldest first
     * @param lines       usage per model, by model id
     */
    record Statement(String organizationId, YearMonth month, long from, long to, boolean provisional,
            long openingBalance, List<TopUp> topUps, long topUpTotal, List<Line> lines, long spend,
            long closingBalance) {
        public Statement {
            topUps = List.copyOf(topUps);
            lines = List.copyOf(lines);
        }
    }

    /**
     * Credits added: {@code kind} is the ledger's ({@code grant}, {@code redeem}, …), {@code memo} its note.
     */
    record TopUp(long at, String kind, @Nullable String memo, long amount) {
    }

    /** A model's usage in the month and what it was charged. */
    record Line(String model, long requests, long inputTokens, long cachedTokens, long outputTokens,
            long reasoningTokens, long amount) {
    }

    private static long millis(LocalDate day) {
        return day.toEpochDay() * Period.DAY.millis();
    }
}
