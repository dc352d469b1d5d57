package dev.tandem.gacha;

/**
 * The chance of each rarity on one pull, in ppm, summing to 1,000,000: the probability model of
 * {@link BannerRules} applied to one pity state. The draw engine and the exact odds both use it, so what is
 * published is what is drawn.
 */
record PullChances(int top, int ssr, int sr, int r) {

    static PullChances of(BannerRules rules, int pullsSinceTop, int pullsSinceSr) {
        int top = rules.topChancePpm(pullsSinceTop + 1);
        int left = DrawRandom.RANGE - top;
        int ssr = Math.min(left, rules.baseRatePpm(Rarity.SSR));
        left -= ssr;
        // the SR guarantee hands R's share to SR; the top and SSR rolls stay as they are
        int sr = pullsSinceSr + 1 >= rules.srPity() ? left : Math.min(left, rules.baseRatePpm(Rarity.SR));
        return new PullChances(top, ssr, sr, left - sr);
    }

    /** The rarity a uniform roll in {@code [0, 1_000_000)} lands on: rarest first, from 0 up. */
    Rarity rarityOf(int roll) {
        if (roll < top) {
            return Rarity.UR;
        }
        if (roll < top + ssr) {
            return Rarity.SSR;
        }
        if (roll < top + ssr + sr) {
            return Rarity.SR;
        }
        return Rarity.R;
    }
}
