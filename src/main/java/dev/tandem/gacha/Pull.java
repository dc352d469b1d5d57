package dev.tandem.gacha;

/**
 * One pull's outcome. Which card it is follows from the pool: {@link CardPool#cardFor(Pull)}.
 *
 * @param rarity   the card's rarity
 * @param featured whether it is one of the banner's featured cards of that rarity (only ever true for a rarity the
 *                 rules feature: the top rarity, and SR where {@link BannerRules#srFeatured()} is set)
 * @param cardRoll the uniform value in {@code [0, 1_000_000)} that picks the card within its list of the pool
 * @param after    the pity after this pull, to hand to the next one
 */
public record Pull(Rarity rarity, boolean featured, int cardRoll, PityState after) {

    /** @throws IllegalArgumentException when {@code cardRoll} is outside {@code [0, 1_000_000)} */
    public Pull {
        if (cardRoll < 0 || cardRoll >= DrawRandom.RANGE) {
            throw new IllegalArgumentException("cardRoll must be in [0, 1000000), was " + cardRoll);
        }
    }
}
