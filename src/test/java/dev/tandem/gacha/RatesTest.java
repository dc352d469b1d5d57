package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A million pulls through the real {@link DrawEngine}, from a fixed seed, against the exact {@link Odds}: Pearson's
 * chi-square goodness of fit at significance level {@value #ALPHA}, critical values from {@link ChiSquare}.
 *
 * <ul>
 *   <li><b>Pulls to the top rarity.</b> Each top card starts a new cycle from the same state, so the cycle lengths
 *       are independent draws from {@code P(T = n)}: the classic multinomial test applies exactly (tail cells merged
 *       until each expects 5).</li>
 *   <li><b>Rarity counts.</b> Pity makes successive pulls dependent, so the rarity counts are not multinomial and
 *       the statistic is not exactly chi-square distributed. Pity makes the counts more regular than independent
 *       draws (top cards come about every 62 pulls instead of geometrically), which shrinks the statistic: the test
 *       is conservative (over 200 seeds of 200,000 genshinLike pulls its mean was 0.36, where a chi-square with 2
 *       degrees of freedom has mean 2), so a pass is weaker evidence than the cycle test's; a wrong top or SR rate
 *       still fails it ({@link #aWrongTopBaseRateIsRejectedByBothTests},
 *       {@link #aWrongSrBaseRateIsRejectedByTheRarityTest}).</li>
 * </ul>
 * The fixed seed makes every run the same; a seed that happened to reject would be a one-in-a-thousand event of the
 * cycle test.
 */
class RatesTest {

    static final double ALPHA = 0.001;
    static final int PULLS = 1_000_000;
    static final long SEED = 20_240_828L;

    /** All four rarities drawn, a 55/45 top share without guarantee, no featured SR. */
    static final BannerRules FOUR_TIERS = new BannerRules("four-tiers",
            Map.of(Rarity.R, 800_000, Rarity.SR, 130_000, Rarity.SSR, 60_000, Rarity.UR, 10_000),
            50, 50_000, 70, new BannerRules.Featured(550_000, false), 10, null);

    /** What a run of pulls gave. */
    record Tally(long[] byRarity, long[] cyclesByLength) {
    }

    static Tally draw(BannerRules rules, long seed, int pulls) {
        long[] byRarity = new long[Rarity.values().length];
        long[] cyclesByLength = new long[rules.hardPity()]; // index n - 1
        DrawRandom random = new SeededRandom(seed);
        PityState state = PityState.FRESH;
        for (int i = 0; i < pulls; i++) {
            int pullNumber = state.pullsSinceTop() + 1;
            Pull pull = DrawEngine.pull(rules, state, random);
            byRarity[pull.rarity().ordinal()]++;
            if (pull.rarity() == Rarity.TOP) {
                cyclesByLength[pullNumber - 1]++; // only complete cycles: the unfinished last one is left out
            }
            state = pull.after();
        }
        return new Tally(byRarity, cyclesByLength);
    }

    static Stream<Named<BannerRules>> banners() {
        return Stream.of(Named.of("genshinLike", BannerRules.genshinLike()), Named.of("four tiers", FOUR_TIERS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("banners")
    void rarityCountsFitTheExactOverallRates(BannerRules rules) {
        Odds odds = Odds.of(rules);
        Tally tally = draw(rules, SEED, PULLS);
        ChiSquare.Result result = rarityFit(tally, odds);

        assertThat(result.degreesOfFreedom()).isEqualTo(rules.baseRatePpm(Rarity.SSR) == 0 ? 2 : 3);
        assertThat(result.statistic()).as("chi-square %s, critical value at alpha %s", result, result.critical(ALPHA))
                .isLessThanOrEqualTo(result.critical(ALPHA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("banners")
    void pullsToTopFitTheExactDistribution(BannerRules rules) {
        Odds odds = Odds.of(rules);
        Tally tally = draw(rules, SEED, PULLS);
        ChiSquare.Result result = cycleFit(tally, odds);

        assertThat(Arrays.stream(tally.cyclesByLength()).sum()).isGreaterThan(PULLS / 100);
        assertThat(result.degreesOfFreedom()).isGreaterThan(50); // most pull numbers keep their own cell
        assertThat(result.statistic()).as("chi-square %s, critical value at alpha %s", result, result.critical(ALPHA))
                .isLessThanOrEqualTo(result.critical(ALPHA));
    }

    @Test
    void aWrongTopBaseRateIsRejectedByBothTests() {
        // 0.8 % top base instead of 0.6 %, everything else the same: drawn with these, tested against genshinLike
        Tally tally = draw(genshinWith(941_000, 51_000, 8_000), SEED, PULLS);
        Odds claimed = Odds.of(BannerRules.genshinLike());

        ChiSquare.Result rarities = rarityFit(tally, claimed);
        ChiSquare.Result cycles = cycleFit(tally, claimed);

        assertThat(rarities.rejects(ALPHA)).as("rarity test %s", rarities).isTrue();
        assertThat(cycles.rejects(ALPHA)).as("cycle test %s", cycles).isTrue();
    }

    @Test
    void aWrongSrBaseRateIsRejectedByTheRarityTest() {
        // 5.6 % SR base instead of 5.1 %: invisible to the cycle test, caught by the conservative rarity test
        Tally tally = draw(genshinWith(938_000, 56_000, 6_000), SEED, PULLS);
        ChiSquare.Result rarities = rarityFit(tally, Odds.of(BannerRules.genshinLike()));

        assertThat(rarities.rejects(ALPHA)).as("rarity test %s", rarities).isTrue();
    }

    static BannerRules genshinWith(int r, int sr, int top) {
        BannerRules genshin = BannerRules.genshinLike();
        return new BannerRules(genshin.bannerType(), Map.of(Rarity.R, r, Rarity.SR, sr, Rarity.SSR, 0, Rarity.UR, top),
                genshin.softPityStart(), genshin.softPityIncrementPpm(), genshin.hardPity(), genshin.topFeatured(),
                genshin.srPity(), genshin.srFeatured());
    }

    /** Rarity counts against the overall rates; a rarity the rules never give must not appear, and has no cell. */
    static ChiSquare.Result rarityFit(Tally tally, Odds odds) {
        long[] observed = Arrays.stream(Rarity.values()).filter(r -> odds.overall(r) > 0)
                .mapToLong(r -> tally.byRarity()[r.ordinal()]).toArray();
        double[] expected = Arrays.stream(Rarity.values()).filter(r -> odds.overall(r) > 0)
                .mapToDouble(odds::overall).toArray();
        for (Rarity rarity : Rarity.values()) {
            if (odds.overall(rarity) == 0) {
                assertThat(tally.byRarity()[rarity.ordinal()]).as("%s pulls", rarity).isZero();
            }
        }
        return ChiSquare.test(observed, expected);
    }

    static ChiSquare.Result cycleFit(Tally tally, Odds odds) {
        double[] pmf = odds.pullsToTopPmf().stream().mapToDouble(Double::doubleValue).toArray();
        return ChiSquare.test(tally.cyclesByLength(), pmf);
    }
}
