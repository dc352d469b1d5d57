package dev.tandem.gacha;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a banner: base rates, the top rarity's soft and hard pity, the every-ten-pulls SR guarantee and
 * the featured (rate-up) shares. Validated on construction; immutable and thread-safe. Chances are integers in
 * parts per million (ppm): 1,000,000 is certainty, 6,000 is 0.6 %.
 *
 * <h2>Probability model</h2>
 *
 * Let {@code n} be the pull's number since the last top-rarity card, counting this one
 * ({@code n = pullsSinceTop + 1}). The chance that the pull is the top rarity ({@link Rarity#UR}) is
 * <pre>
 *   p_top(n) = base                                     for n &lt; softPityStart
 *            = base + softPityIncrementPpm * (n - softPityStart + 1)   for softPityStart &lt;= n &lt; hardPity
 *            = 1,000,000                                for n &gt;= hardPity
 * </pre>
 * capped at 1,000,000. The rest of the million is shared out rarest first: SSR gets its base rate, then SR its base
 * rate, each capped by what is left, and R gets the remainder. So a rising top chance takes its extra from R first
 * and from SR and SSR only when R's share is used up.
 *
 * <p><b>SR guarantee.</b> When the pull is number {@code srPity} since the last card of SR or better
 * ({@code pullsSinceSr + 1 >= srPity}), R's share goes to SR: the pull is the top rarity with {@code p_top(n)},
 * SSR with its base rate, and SR otherwise; never R. A top-rarity card counts as "SR or better" and resets the SR
 * counter, as in Genshin Impact. Since {@code srPity} is at most 10, any ten consecutive pulls hold at least one
 * card of SR or better.
 *
 * <p><b>Featured cards.</b> A top-rarity card is featured with chance {@code topFeatured.sharePpm}, or for sure when
 * the previous one lost that roll and {@code topFeatured.guaranteeAfterLoss} holds; the same for SR with
 * {@code srFeatured}. A banner without featured cards of a rarity leaves the field null.
 *
 * @param bannerType           the banner's type ({@code character}, {@code standard}, ...): pity carries over between
 *                             banners of the same type; 1 to 64 of {@code a-z 0-9 - _}
 * @param baseRatesPpm         the base chance of each rarity, every rarity named, summing to 1,000,000
 * @param softPityStart        the first pull number whose top chance rises, 1 to {@code hardPity}
 * @param softPityIncrementPpm how much the top chance rises per pull from {@code softPityStart} on, 0 to 1,000,000
 * @param hardPity             the pull number that is always the top rarity, 1 to 1,000
 * @param topFeatured          the featured share of the top rarity, or null when the banner features none
 * @param srPity               the pull number since the last SR-or-better that is always SR or better, 1 to 10
 * @param srFeatured           the featured share of SR, or null when the banner features no SR card
 */
public record BannerRules(String bannerType, Map<Rarity, Integer> baseRatesPpm, int softPityStart,
        int softPityIncrementPpm, int hardPity, @Nullable Featured topFeatured, int srPity,
        @Nullable Featured srFeatured) {

    /** The highest hard pity accepted; it bounds the work of {@link Odds#of(BannerRules)}. */
    public static final int MAX_HARD_PITY = 1_000;
    /** The highest SR pity accepted: ten, so every ten-pull holds SR or better. */
    public static final int MAX_SR_PITY = 10;

    private static final Pattern BANNER_TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /**
     * A featured (rate-up) share of one rarity.
     *
     * @param sharePpm           the chance that a card of that rarity is one of the featured ones, 1 to 1,000,000
     *                           (500,000 is a 50/50)
     * @param guaranteeAfterLoss whether losing that roll makes the next card of that rarity featured for sure
     */
    public record Featured(int sharePpm, boolean guaranteeAfterLoss) {

        /** @throws IllegalArgumentException when the share is outside 1 to 1,000,000 */
        public Featured {
            if (sharePpm < 1 || sharePpm > DrawRandom.RANGE) {
                throw new IllegalArgumentException(
                        "featured sharePpm must be between 1 and 1000000 (100%), was " + sharePpm);
            }
        }
    }

    /**
     * @throws IllegalArgumentException naming the rule broken: an unknown banner type format, a missing or negative
     *                                  rate, rates not summing to 1,000,000, or a pity outside its range
     */
    public BannerRules {
        Objects.requireNonNull(bannerType, "bannerType");
        Objects.requireNonNull(baseRatesPpm, "baseRatesPpm");
        if (!BANNER_TYPE.matcher(bannerType).matches()) {
            throw new IllegalArgumentException("bannerType must be 1 to 64 characters of a-z, 0-9, '-' or '_', "
                    + "starting with a letter or digit, was '" + bannerType + "'");
        }
        EnumMap<Rarity, Integer> rates = new EnumMap<>(Rarity.class);
        long sum = 0;
        for (Rarity rarity : Rarity.values()) {
            Integer rate = baseRatesPpm.get(rarity);
            if (rate == null) {
                throw new IllegalArgumentException("baseRatesPpm must name every rarity (R, SR, SSR, UR); "
                        + rarity + " is missing");
            }
            if (rate < 0 || rate > DrawRandom.RANGE) {
                throw new IllegalArgumentException("baseRatesPpm[" + rarity + "] must be between 0 and 1000000, was "
                        + rate);
            }
            rates.put(rarity, rate);
            sum += rate;
        }
        if (sum != DrawRandom.RANGE) {
            throw new IllegalArgumentException("baseRatesPpm must sum to 1000000 (100%), was " + sum);
        }
        if (hardPity < 1 || hardPity > MAX_HARD_PITY) {
            throw new IllegalArgumentException("hardPity must be between 1 and " + MAX_HARD_PITY + ", was "
                    + hardPity);
        }
        if (softPityStart < 1 || softPityStart > hardPity) {
            throw new IllegalArgumentException("softPityStart must be between 1 and hardPity (" + hardPity
                    + "), was " + softPityStart);
        }
        if (softPityIncrementPpm < 0 || softPityIncrementPpm > DrawRandom.RANGE) {
            throw new IllegalArgumentException("softPityIncrementPpm must be between 0 and 1000000, was "
                    + softPityIncrementPpm);
        }
        if (srPity < 1 || srPity > MAX_SR_PITY) {
            throw new IllegalArgumentException("srPity must be between 1 and " + MAX_SR_PITY
                    + " (so every ten-pull holds SR or better), was " + srPity);
        }
        baseRatesPpm = Collections.unmodifiableMap(rates);
    }

    /**
     * Genshin Impact's character event wish as the community models it, with its three tiers mapped to R (3★),
     * SR (4★) and UR (5★); SSR is unused (rate 0). Top: 0.6 % base, rising 6 % per pull from pull 74 (6.6 % at 74,
     * 96.6 % at 89), certain at 90, featured 50/50 with the next guaranteed after a loss. SR: 5.1 % base, certain
     * (or better) every 10 pulls, featured 50/50 with the same guarantee. Banner type {@code character}.
     */
    public static BannerRules genshinLike() {
        return new BannerRules("character",
                Map.of(Rarity.R, 943_000, Rarity.SR, 51_000, Rarity.SSR, 0, Rarity.UR, 6_000),
                74, 60_000, 90, new Featured(500_000, true), 10, new Featured(500_000, true));
    }

    /** The base chance of {@code rarity}, in ppm. */
    public int baseRatePpm(Rarity rarity) {
        return baseRatesPpm.get(rarity);
    }

    /**
     * {@code p_top(n)}: the chance, in ppm, that pull number {@code n} since the last top-rarity card is one.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public int topChancePpm(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("pull number n must be 1 or more, was " + n);
        }
        if (n >= hardPity) {
            return DrawRandom.RANGE;
        }
        long chance = baseRatePpm(Rarity.TOP);
        if (n >= softPityStart) {
            chance += (long) softPityIncrementPpm * (n - softPityStart + 1);
        }
        return (int) Math.min(chance, DrawRandom.RANGE);
    }

    /**
     * Whether {@code pity} can occur under these rules: fewer than {@code hardPity} pulls since the last top and
     * fewer than {@code srPity} since the last SR or better.
     *
     * @throws IllegalArgumentException when it cannot, naming the counter and its bound
     */
    public void checkPity(PityState pity) {
        if (pity.pullsSinceTop() >= hardPity) {
            throw new IllegalArgumentException("pullsSinceTop must be below hardPity (" + hardPity + ") on banner type '"
                    + bannerType + "', was " + pity.pullsSinceTop());
        }
        if (pity.pullsSinceSr() >= srPity) {
            throw new IllegalArgumentException("pullsSinceSr must be below srPity (" + srPity + ") on banner type '"
                    + bannerType + "', was " + pity.pullsSinceSr());
        }
    }
}
