package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The draw engine's promises: pity, the featured guarantee, the ten-pull guarantee, a fixed read per pull. */
class DrawEngineTest {

    static final BannerRules GENSHIN = BannerRules.genshinLike();
    /** The unluckiest stream: every roll is the highest value, so only a guarantee gives anything but R. */
    static final DrawRandom WORST_LUCK = () -> DrawRandom.RANGE - 1;

    /** A stream that yields exactly {@code values}, in order, and fails when asked for more. */
    static DrawRandom scripted(int... values) {
        Iterator<Integer> it = IntStream.of(values).iterator();
        return it::next;
    }

    @Test
    void withTheWorstLuckTheTopRarityComesExactlyAtPull90() {
        List<Pull> pulls = DrawEngine.pulls(GENSHIN, PityState.FRESH, WORST_LUCK, 90);

        assertThat(pulls.subList(0, 89)).noneMatch(p -> p.rarity() == Rarity.UR);
        assertThat(pulls.get(89).rarity()).isEqualTo(Rarity.UR);
        assertThat(pulls.get(89).after().pullsSinceTop()).isZero();
    }

    @Test
    void noPlayerWaitsMoreThan90PullsForTheTopRarity() {
        DrawRandom random = new SeededRandom(90);
        PityState state = PityState.FRESH;
        int tops = 0;
        int longest = 0;
        int pulls = 0;
        while (tops < 20_000) {
            Pull pull = DrawEngine.pull(GENSHIN, state, random);
            pulls++;
            if (pull.rarity() == Rarity.UR) {
                tops++;
                longest = Math.max(longest, state.pullsSinceTop() + 1);
            }
            state = pull.after();
        }
        assertThat(longest).isLessThanOrEqualTo(90).isGreaterThan(85); // the hard pity is reached, never passed
        assertThat(pulls / (double) tops).isBetween(61.0, 63.6);
    }

    @Test
    void aLostFiftyFiftyMakesTheNextTopFeatured() {
        PityState atHardPity = new PityState(89, 0, false, false);
        // rarity roll (any: pull 90 is certain), featured roll 500,000 is not below the 500,000 share: lost
        Pull lost = DrawEngine.pull(GENSHIN, atHardPity, scripted(0, 500_000, 0));
        assertThat(lost.rarity()).isEqualTo(Rarity.UR);
        assertThat(lost.featured()).isFalse();
        assertThat(lost.after().topFeaturedGuaranteed()).isTrue();

        // the next top is featured even with the worst featured roll, and the guarantee is spent
        Pull next = DrawEngine.pull(GENSHIN, new PityState(89, 0, true, false), scripted(0, 999_999, 0));
        assertThat(next.featured()).isTrue();
        assertThat(next.after().topFeaturedGuaranteed()).isFalse();

        Pull won = DrawEngine.pull(GENSHIN, atHardPity, scripted(0, 499_999, 0));
        assertThat(won.featured()).isTrue();
        assertThat(won.after().topFeaturedGuaranteed()).isFalse();
    }

    @Test
    void overAMillionPullsEveryTopAfterALostOneIsFeatured() {
        DrawRandom random = new SeededRandom(5050);
        PityState state = PityState.FRESH;
        boolean lastTopLost = false;
        int free = 0;
        int freeWon = 0;
        for (int i = 0; i < 1_000_000; i++) {
            Pull pull = DrawEngine.pull(GENSHIN, state, random);
            if (pull.rarity() == Rarity.UR) {
                if (lastTopLost) {
                    assertThat(pull.featured()).as("top after a lost 50/50, pull %d", i).isTrue();
                } else {
                    free++;
                    freeWon += pull.featured() ? 1 : 0;
                }
                lastTopLost = !pull.featured();
            }
            state = pull.after();
        }
        assertThat(freeWon / (double) free).isBetween(0.47, 0.53);
    }

    @Test
    void withoutTheGuaranteeALossGuaranteesNothing() {
        BannerRules noGuarantee = RatesTest.FOUR_TIERS; // 55 % featured, no guarantee
        Pull lost = DrawEngine.pull(noGuarantee, new PityState(69, 0, false, false), scripted(0, 550_000, 0));

        assertThat(lost.rarity()).isEqualTo(Rarity.UR);
        assertThat(lost.featured()).isFalse();
        assertThat(lost.after().topFeaturedGuaranteed()).isFalse();
    }

    @Test
    void everyTenPullHoldsSrOrBetterEvenWithTheWorstLuckFromAnyPity() {
        for (int sinceSr = 0; sinceSr < GENSHIN.srPity(); sinceSr++) {
            for (int sinceTop = sinceSr; sinceTop < GENSHIN.hardPity(); sinceTop++) {
                List<Pull> ten = DrawEngine.tenPull(GENSHIN, new PityState(sinceTop, sinceSr, false, false),
                        WORST_LUCK);
                assertThat(ten).hasSize(10).anyMatch(p -> p.rarity().atLeast(Rarity.SR));
            }
        }
    }

    @Test
    void tenPullsInARowEachHoldSrOrBetterAndThreadThePity() {
        DrawRandom random = new SeededRandom(10);
        PityState state = PityState.FRESH;
        for (int i = 0; i < 100_000; i++) {
            List<Pull> ten = DrawEngine.tenPull(GENSHIN, state, random);
            assertThat(ten).anyMatch(p -> p.rarity().atLeast(Rarity.SR));
            for (int k = 1; k < ten.size(); k++) {
                PityState before = ten.get(k - 1).after();
                Pull pull = ten.get(k);
                int expectedSinceTop = pull.rarity() == Rarity.UR ? 0 : before.pullsSinceTop() + 1;
                assertThat(pull.after().pullsSinceTop()).isEqualTo(expectedSinceTop);
            }
            state = ten.getLast().after();
        }
    }

    @Test
    void theSrGuaranteeGivesSrUnlessTheTopRollHits() {
        // pull 81 since the top (p_top = 6,000 + 8 * 60,000 = 486,000 ppm), pull 10 since SR: guaranteed SR or better
        PityState state = new PityState(80, 9, false, false);
        assertThat(GENSHIN.topChancePpm(81)).isEqualTo(486_000);

        assertThat(DrawEngine.pull(GENSHIN, state, scripted(485_999, 0, 0)).rarity()).isEqualTo(Rarity.UR);
        assertThat(DrawEngine.pull(GENSHIN, state, scripted(486_000, 0, 0)).rarity()).isEqualTo(Rarity.SR);
        assertThat(DrawEngine.pull(GENSHIN, state, scripted(999_999, 0, 0)).rarity()).isEqualTo(Rarity.SR);
    }

    @Test
    void aTopCardResetsTheSrCountToo() {
        Pull top = DrawEngine.pull(GENSHIN, new PityState(89, 7, false, true), scripted(0, 0, 0));

        assertThat(top.after()).isEqualTo(new PityState(0, 0, false, true));
    }

    @Test
    void rollsFallInRarityBandsRarestFirst() {
        BannerRules rules = RatesTest.FOUR_TIERS; // UR 1 %, SSR 6 %, SR 13 %, R 80 %
        Map<Integer, Rarity> bands = Map.of(0, Rarity.UR, 9_999, Rarity.UR, 10_000, Rarity.SSR, 69_999, Rarity.SSR,
                70_000, Rarity.SR, 199_999, Rarity.SR, 200_000, Rarity.R, 999_999, Rarity.R);
        bands.forEach((roll, rarity) -> assertThat(DrawEngine.pull(rules, PityState.FRESH, scripted(roll, 0, 0))
                .rarity()).as("roll %d", roll).isEqualTo(rarity));
    }

    @Test
    void softPityTakesItsShareFromRFirstThenFromSr() {
        // pull 89: p_top = 966,000, so SR keeps only the 34,000 left and R gets nothing
        PityState state = new PityState(88, 0, false, false);
        assertThat(DrawEngine.pull(GENSHIN, state, scripted(965_999, 0, 0)).rarity()).isEqualTo(Rarity.UR);
        assertThat(DrawEngine.pull(GENSHIN, state, scripted(966_000, 0, 0)).rarity()).isEqualTo(Rarity.SR);
        assertThat(DrawEngine.pull(GENSHIN, state, scripted(999_999, 0, 0)).rarity()).isEqualTo(Rarity.SR);
    }

    @Test
    void everyPullReadsExactlyThreeValues() {
        int[] reads = {0};
        SeededRandom seeded = new SeededRandom(3);
        DrawRandom counting = () -> {
            reads[0]++;
            return seeded.next();
        };
        DrawEngine.pulls(GENSHIN, PityState.FRESH, counting, 1_000);

        assertThat(reads[0]).isEqualTo(1_000 * DrawEngine.VALUES_PER_PULL);
    }

    @Test
    void aPityTheRulesCannotReachIsRefused() {
        assertThatThrownBy(() -> DrawEngine.pull(GENSHIN, new PityState(90, 0, false, false), WORST_LUCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pullsSinceTop must be below hardPity (90) on banner type 'character', was 90");
        assertThatThrownBy(() -> DrawEngine.pull(GENSHIN, new PityState(12, 10, false, false), WORST_LUCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pullsSinceSr must be below srPity (10) on banner type 'character', was 10");
        assertThatThrownBy(() -> new PityState(-1, 0, false, false))
                .hasMessage("pullsSinceTop must be 0 or more, was -1");
    }

    @Test
    void aStreamValueOutsideTheRangeIsAnError() {
        assertThatThrownBy(() -> DrawEngine.pull(GENSHIN, PityState.FRESH, () -> DrawRandom.RANGE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 1000000, outside [0, 1000000)");
    }
}
