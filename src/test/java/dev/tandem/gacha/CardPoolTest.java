package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which card a pull is. */
class CardPoolTest {

    /** R: 3 cards; SR: 2, and 3 featured; UR: 2, and 1 featured. */
    static final CardPool POOL = new CardPool(
            Map.of(Rarity.R, List.of("sword", "bow", "staff"), Rarity.SR, List.of("bard", "knight"),
                    Rarity.UR, List.of("old-king", "witch")),
            Map.of(Rarity.SR, List.of("fox", "moth", "crane"), Rarity.UR, List.of("dragon")));

    static Pull pull(Rarity rarity, boolean featured, int cardRoll) {
        return new Pull(rarity, featured, cardRoll, PityState.FRESH);
    }

    @Test
    void aFeaturedPullPicksFromTheFeaturedCardsAndAnyOtherFromTheRest() {
        assertThat(POOL.cardFor(pull(Rarity.UR, true, 999_999))).isEqualTo("dragon");
        assertThat(POOL.cardFor(pull(Rarity.UR, false, 0))).isEqualTo("old-king");
        assertThat(POOL.cardFor(pull(Rarity.UR, false, 999_999))).isEqualTo("witch");
        assertThat(POOL.cardFor(pull(Rarity.SR, true, 333_333))).isEqualTo("fox");
        assertThat(POOL.cardFor(pull(Rarity.SR, true, 333_334))).isEqualTo("moth");
        assertThat(POOL.cardFor(pull(Rarity.SR, true, 666_667))).isEqualTo("crane");
    }

    @Test
    void everyCardGetsItsShareWithinOnePpm() {
        for (int size = 1; size <= 200; size++) {
            double sum = 0;
            for (int i = 0; i < size; i++) {
                double share = CardPool.pickShare(i, size);
                assertThat(share).isCloseTo(1.0 / size, within(1e-6));
                sum += share;
            }
            assertThat(sum).isCloseTo(1, within(1e-12));
        }
        // three cards: 333,334 + 333,333 + 333,333 rolls; the first list entry gets rolls 0..333,333
        assertThat(CardPool.pickShare(0, 3)).isEqualTo(0.333334);
        assertThat(CardPool.pickShare(1, 3)).isEqualTo(0.333333);
    }

    @Test
    void aPoolMustHoldACardForEveryPullTheRulesCanGive() {
        BannerRules genshin = BannerRules.genshinLike();
        assertThat(POOL.checkFits(genshin)).isSameAs(POOL);

        CardPool noFeaturedTop = new CardPool(POOL.cards(), Map.of(Rarity.SR, List.of("fox")));
        assertThatThrownBy(() -> noFeaturedTop.checkFits(genshin))
                .hasMessage("the pool needs at least one featured UR card: the rules feature UR");
        CardPool featuredR = new CardPool(POOL.cards(), Map.of(Rarity.SR, List.of("fox"), Rarity.UR,
                List.of("dragon"), Rarity.R, List.of("stick")));
        assertThatThrownBy(() -> featuredR.checkFits(genshin))
                .hasMessage("the pool features R cards but the rules feature no R, so they could never be drawn");
        CardPool noR = new CardPool(Map.of(Rarity.SR, List.of("bard"), Rarity.UR, List.of("witch")), POOL.featured());
        assertThatThrownBy(() -> noR.checkFits(genshin))
                .hasMessage("the pool needs at least one non-featured R card for banner type 'character'");
    }

    @Test
    void aCardIdAppearsOnceInThePool() {
        assertThatThrownBy(() -> new CardPool(Map.of(Rarity.SR, List.of("fox")), Map.of(Rarity.SR, List.of("fox"))))
                .hasMessage("card id 'fox' appears more than once in the pool");
        assertThatThrownBy(() -> new CardPool(Map.of(Rarity.R, List.of(" ")), Map.of()))
                .hasMessage("cards[R] holds a blank card id");
    }

    @Test
    void aPullWithoutAMatchingCardIsAnError() {
        CardPool onlyR = new CardPool(Map.of(Rarity.R, List.of("stick")), Map.of());

        assertThatThrownBy(() -> onlyR.cardFor(pull(Rarity.UR, true, 0)))
                .hasMessage("the pool has no featured UR card for this pull");
    }
}
