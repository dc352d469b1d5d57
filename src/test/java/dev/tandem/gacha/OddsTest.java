package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact odds: Genshin-like figures against the published and community-measured ones, and small rules whose
 * odds follow by hand.
 */
class OddsTest {

    static final Odds GENSHIN = Odds.of(BannerRules.genshinLike());

    @Test
    void genshinLikeGivesTheConsolidatedTopRateOf1Point6Percent() {
        assertThat(GENSHIN.overall(Rarity.UR)).isBetween(0.0159, 0.0162);
        assertThat(GENSHIN.expectedPullsToTop()).isCloseTo(62.3, within(0.2));
        assertThat(GENSHIN.overall(Rarity.UR)).isCloseTo(1 / GENSHIN.expectedPullsToTop(), within(1e-15));
    }

    @Test
    void genshinLikeMatchesTheCommunityFigures() {
        assertThat(GENSHIN.medianPullsToTop()).isEqualTo(76);
        assertThat(GENSHIN.topWithin(73)).isCloseTo(0.356, within(0.001)); // 1 - 0.994^73
        assertThat(GENSHIN.topWithin(90)).isCloseTo(1, within(1e-12));
        assertThat(GENSHIN.pullsToTop(1)).isCloseTo(0.006, within(1e-15));
        assertThat(GENSHIN.pullsToTop(90)).isPositive().isLessThan(1e-6);
        assertThat(GENSHIN.pullsToTop(91)).isZero();
        assertThat(GENSHIN.featuredShareOfTops()).isCloseTo(2 / 3.0, within(1e-15));
        assertThat(GENSHIN.expectedPullsPerFeaturedTop()).isCloseTo(93.4, within(0.1));
    }

    @Test
    void genshinLikeSrAndRRatesAreFixedByTheModel() {
        // 11.79 %, not Genshin's published 13 %: its 4-star chance also rises from pull 9, which this model has not
        assertThat(GENSHIN.overall(Rarity.SR)).isCloseTo(0.117916, within(1e-6));
        assertThat(GENSHIN.overall(Rarity.SSR)).isZero();
        assertThat(GENSHIN.overall(Rarity.R)).isCloseTo(0.866032, within(1e-6));
        assertThat(GENSHIN.overallRates().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1, within(1e-12));
        assertThat(GENSHIN.featuredShareOfSrs()).isCloseTo(2 / 3.0, within(1e-15));
    }

    @Test
    void capturingRadianceFiftyFiveFortyFiveNeedsFewerPullsPerFeaturedTop() {
        BannerRules g = BannerRules.genshinLike();
        BannerRules radiance = new BannerRules(g.bannerType(), g.baseRatesPpm(), g.softPityStart(),
                g.softPityIncrementPpm(), g.hardPity(), new BannerRules.Featured(550_000, true), g.srPity(),
                g.srFeatured());

        assertThat(Odds.of(radiance).featuredShareOfTops()).isCloseTo(1 / 1.45, within(1e-15));
        assertThat(Odds.of(radiance).expectedPullsPerFeaturedTop()).isCloseTo(90.3, within(0.1));
    }

    @Test
    void aTopEveryFifthPullSplitsTheRestByBaseRate() {
        // no top chance before the hard pity at 5: a top card every 5th pull exactly (a periodic chain)
        BannerRules rules = new BannerRules("periodic", Map.of(Rarity.R, 800_000, Rarity.SR, 200_000,
                Rarity.SSR, 0, Rarity.UR, 0), 5, 0, 5, null, 10, null);
        Odds odds = Odds.of(rules);

        assertThat(odds.expectedPullsToTop()).isCloseTo(5, within(1e-12));
        assertThat(odds.overall(Rarity.UR)).isCloseTo(0.2, within(1e-12));
        assertThat(odds.overall(Rarity.SR)).isCloseTo(0.8 * 0.2, within(1e-12));
        assertThat(odds.overall(Rarity.R)).isCloseTo(0.8 * 0.8, within(1e-12));
        assertThat(odds.featuredShareOfTops()).isZero();
        assertThat(odds.expectedPullsPerFeaturedTop()).isInfinite();
    }

    @Test
    void aTopCardRestartsTheSrCount() {
        // only pities give anything: SR at pull 10 since SR or better, the top at pull 15; the top resets the SR
        // count, so every 15-pull cycle holds exactly one SR (at its 10th pull), one top and 13 R
        BannerRules rules = new BannerRules("pity-only", Map.of(Rarity.R, 1_000_000, Rarity.SR, 0,
                Rarity.SSR, 0, Rarity.UR, 0), 15, 0, 15, null, 10, null);
        Odds odds = Odds.of(rules);

        assertThat(odds.overall(Rarity.SR)).isCloseTo(1 / 15.0, within(1e-12));
        assertThat(odds.overall(Rarity.UR)).isCloseTo(1 / 15.0, within(1e-12));
        assertThat(odds.overall(Rarity.R)).isCloseTo(13 / 15.0, within(1e-12));
        // the engine agrees, pull by pull
        var pulls = DrawEngine.pulls(rules, PityState.FRESH, new SeededRandom(1), 30);
        assertThat(pulls.stream().filter(p -> p.rarity() == Rarity.SR).count()).isEqualTo(2);
        assertThat(pulls.get(9).rarity()).isEqualTo(Rarity.SR);
        assertThat(pulls.get(14).rarity()).isEqualTo(Rarity.UR);
        assertThat(pulls.get(24).rarity()).isEqualTo(Rarity.SR);
    }

    @Test
    void farFromTheHardPityOnlyTheSrGuaranteeLiftsARate() {
        // a hard pity of 1000 with a 10 % base is never reached in practice (0.9^999 ~ 1e-46)
        BannerRules rules = new BannerRules("flat", Map.of(Rarity.R, 500_000, Rarity.SR, 250_000,
                Rarity.SSR, 150_000, Rarity.UR, 100_000), 1_000, 0, 1_000, null, 10, null);
        Odds odds = Odds.of(rules);

        assertThat(odds.expectedPullsToTop()).isCloseTo(10, within(1e-9));
        assertThat(odds.overall(Rarity.SSR)).isCloseTo(0.15, within(1e-9));
        assertThat(odds.overall(Rarity.UR)).isCloseTo(0.1, within(1e-9));
        // gaps between SR-or-better cards are min(Geometric(1/2), 10), mean 2 (1 - 2^-10); one gap in 2^9 reaches
        // pull 10, where R's half goes to SR: SR = 1/4 + (2^-9 * 1/2) / mean gap
        double meanGap = 2 * (1 - Math.pow(0.5, 10));
        assertThat(odds.overall(Rarity.SR)).isCloseTo(0.25 + Math.pow(0.5, 10) / meanGap, within(1e-9));
    }
}
