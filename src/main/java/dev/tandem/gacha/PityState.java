package dev.tandem.gacha;

/**
 * A player's pity on one banner type, as it stands between pulls. Pity carries over between banners of the same
 * {@link BannerRules#bannerType()}; the first pull ever starts from {@link #FRESH}. Immutable; every pull returns
 * the next state in {@link Pull#after()}.
 *
 * @param pullsSinceTop          pulls since the last top-rarity card (0 right after one); the next pull is number
 *                               {@code pullsSinceTop + 1} of the top-rarity pity
 * @param pullsSinceSr           pulls since the last card of SR or better (0 right after one); a top-rarity card
 *                               counts, so it resets this too
 * @param topFeaturedGuaranteed  whether the next top-rarity card is featured for sure (the last one lost its
 *                               featured roll on a banner that guarantees the next)
 * @param srFeaturedGuaranteed   the same for the next SR card, on banners with featured SR cards
 */
public record PityState(int pullsSinceTop, int pullsSinceSr, boolean topFeaturedGuaranteed,
        boolean srFeaturedGuaranteed) {

    /** No pulls yet: both counters at 0, nothing guaranteed. */
    public static final PityState FRESH = new PityState(0, 0, false, false);

    /** @throws IllegalArgumentException when a counter is negative */
    public PityState {
        if (pullsSinceTop < 0) {
            throw new IllegalArgumentException("pullsSinceTop must be 0 or more, was " + pullsSinceTop);
        }
        if (pullsSinceSr < 0) {
            throw new IllegalArgumentException("pullsSinceSr must be 0 or more, was " + pullsSinceSr);
        }
    }
}
