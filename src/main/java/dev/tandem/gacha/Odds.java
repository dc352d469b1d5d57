package dev.tandem.gacha;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The exact odds of a banner, computed from its rules, not simulated: what a player should be shown before paying.
 * Immutable and thread-safe.
 *
 * <h2>Method</h2>
 * A top-rarity card resets both pity counters, so the pulls form a renewal process whose cycles run from one top
 * card to the next, each starting in the same state (0 pulls since the top, 0 since SR or better). Within a cycle
 * the joint distribution of the two counters is carried forward pull by pull (the top counter is the pull number,
 * the SR counter is a distribution over {@code 0..srPity-1}), using the same per-pull chances as the
 * {@link DrawEngine}; at {@code hardPity} every path has ended. That gives exactly, up to floating point:
 * <ul>
 *   <li>the distribution of pulls to the top rarity, {@code P(T = n)} for {@code n = 1..hardPity}, and its mean;</li>
 *   <li>the expected number of cards of each rarity per cycle. By the renewal-reward theorem the long-run share
 *       of each rarity among all pulls is that number divided by {@code E[T]} (the top rarity's is
 *       {@code 1 / E[T]}). These are the "consolidated" rates, including pity.</li>
 * </ul>
 * The featured flags do not change rarity chances, so they are a separate two-state chain per rarity
 * (guaranteed or not): with featured share {@code f} the long-run featured share of that rarity's cards is
 * {@code 1 / (2 - f)} when a loss guarantees the next, and {@code f} when it does not.
 *
 * @param overallRates        per rarity, its long-run share of all pulls (summing to 1)
 * @param expectedPullsToTop  {@code E[T]}: mean pulls from one top-rarity card to the next, the first counted
 *                            from a fresh state
 * @param pullsToTopPmf       {@code P(T = n)} at index {@code n - 1}, for {@code n = 1..hardPity}
 * @param featuredShareOfTops long-run share of top-rarity cards that are featured (0 when none are)
 * @param featuredShareOfSrs  long-run share of SR cards that are featured (0 when none are)
 */
public record Odds(Map<Rarity, Double> overallRates, double expectedPullsToTop, List<Double> pullsToTopPmf,
        double featuredShareOfTops, double featuredShareOfSrs) {

    public Odds {
        overallRates = Collections.unmodifiableMap(new EnumMap<>(overallRates));
        pullsToTopPmf = List.copyOf(pullsToTopPmf);
    }

    /** The exact odds of {@code rules}. Linear in {@code hardPity × srPity}: microseconds for Genshin-like rules. */
    public static Odds of(BannerRules rules) {
        int srPity = rules.srPity();
        double[] mass = new double[srPity]; // distribution of the SR counter among cycles still running
        mass[0] = 1;
        double[] perCycle = new double[Rarity.values().length];
        List<Double> pmf = new ArrayList<>(rules.hardPity());
        double expected = 0;
        for (int sinceTop = 0; sinceTop < rules.hardPity(); sinceTop++) {
            double[] next = new double[srPity];
            double top = 0;
            for (int sinceSr = 0; sinceSr < srPity; sinceSr++) {
                double m = mass[sinceSr];
                if (m == 0) {
                    continue;
                }
                PullChances c = PullChances.of(rules, sinceTop, sinceSr);
                top += m * ppm(c.top());
                perCycle[Rarity.SSR.ordinal()] += m * ppm(c.ssr());
                perCycle[Rarity.SR.ordinal()] += m * ppm(c.sr());
                perCycle[Rarity.R.ordinal()] += m * ppm(c.r());
                next[0] += m * ppm(c.ssr() + c.sr());
                if (c.r() > 0) { // never at sinceSr + 1 == srPity: the guarantee leaves R nothing
                    next[sinceSr + 1] += m * ppm(c.r());
                }
            }
            perCycle[Rarity.UR.ordinal()] += top;
            pmf.add(top);
            expected += (sinceTop + 1) * top;
            mass = next;
        }
        EnumMap<Rarity, Double> rates = new EnumMap<>(Rarity.class);
        for (Rarity rarity : Rarity.values()) {
            rates.put(rarity, perCycle[rarity.ordinal()] / expected);
        }
        return new Odds(rates, expected, pmf, featuredShare(rules.topFeatured()), featuredShare(rules.srFeatured()));
    }

    /** The long-run share of {@code rarity} among all pulls. */
    public double overall(Rarity rarity) {
        return overallRates.get(rarity);
    }

    /** {@code P(T = n)}: the chance that the next top-rarity card is pull {@code n} (0 outside 1..hardPity). */
    public double pullsToTop(int n) {
        return n >= 1 && n <= pullsToTopPmf.size() ? pullsToTopPmf.get(n - 1) : 0;
    }

    /** {@code P(T <= n)}: the chance of a top-rarity card within {@code n} pulls from a fresh counter. */
    public double topWithin(int n) {
        double sum = 0;
        for (int i = 1; i <= Math.min(n, pullsToTopPmf.size()); i++) {
            sum += pullsToTopPmf.get(i - 1);
        }
        return Math.min(sum, 1);
    }

    /** The median of {@code T}: the fewest pulls {@code n} with {@code P(T <= n) >= 1/2}. */
    public int medianPullsToTop() {
        double sum = 0;
        for (int n = 1; n <= pullsToTopPmf.size(); n++) {
            sum += pullsToTopPmf.get(n - 1);
            if (sum >= 0.5) {
                return n;
            }
        }
        return pullsToTopPmf.size();
    }

    /** Mean pulls per featured top-rarity card in the long run; infinite when the banner features none. */
    public double expectedPullsPerFeaturedTop() {
        return featuredShareOfTops == 0 ? Double.POSITIVE_INFINITY : expectedPullsToTop / featuredShareOfTops;
    }

    private static double featuredShare(BannerRules.@Nullable Featured rule) {
        if (rule == null) {
            return 0;
        }
        double f = ppm(rule.sharePpm());
        // stationary chain: not guaranteed -(lose, 1-f)-> guaranteed -(always featured)-> not guaranteed
        return rule.guaranteeAfterLoss() ? 1 / (2 - f) : f;
    }

    private static double ppm(int chance) {
        return chance / (double) DrawRandom.RANGE;
    }
}
