package dev.tandem.gacha;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Draws pulls: a pure function of the rules, the pity before the pull and the values read from a
 * {@link DrawRandom}. Stateless and thread-safe (the random stream is the caller's, one per draw).
 *
 * <p>Every pull reads exactly {@value #VALUES_PER_PULL} values, in this order, whether or not each is needed:
 * <ol>
 *   <li>the <b>rarity roll</b>: the rarity whose band of {@link BannerRules}' chances it falls in, rarest first
 *       from 0 (UR below {@code p_top(n)}, then SSR, then SR, then R);</li>
 *   <li>the <b>featured roll</b>: for a top-rarity card (or an SR card on a banner with featured SRs), featured
 *       when the roll is below the featured share, or always when the pity says the next one is guaranteed;
 *       read and ignored for other rarities;</li>
 *   <li>the <b>card roll</b>: which card of the drawn list, see {@link CardPool#cardFor(Pull)}.</li>
 * </ol>
 * So pull {@code k} (from 0) of a draw reads values {@code 3k} to {@code 3k+2} of its stream, and a past draw is
 * recomputed by reading the same stream again.
 */
public final class DrawEngine {

    /** How many values every pull reads from its {@link DrawRandom}. */
    public static final int VALUES_PER_PULL = 3;
    /** The number of pulls in a ten-pull. */
    public static final int TEN = 10;

    private DrawEngine() {
    }

    /**
     * One pull.
     *
     * @param rules  the banner's rules
     * @param before the player's pity on this banner type before the pull
     * @param random the draw's stream; {@value #VALUES_PER_PULL} values are read from it
     * @return the card's rarity, whether it is featured, its card roll, and the pity after it
     * @throws IllegalArgumentException when {@code before} cannot occur under {@code rules}
     *                                  ({@link BannerRules#checkPity})
     * @throws IllegalStateException    when the stream yields a value outside {@code [0, 1_000_000)}
     */
    public static Pull pull(BannerRules rules, PityState before, DrawRandom random) {
        rules.checkPity(before);
        int rarityRoll = next(random);
        int featuredRoll = next(random);
        int cardRoll = next(random);
        int sinceTop = before.pullsSinceTop() + 1;
        int sinceSr = before.pullsSinceSr() + 1;
        Rarity rarity = PullChances.of(rules, before.pullsSinceTop(), before.pullsSinceSr()).rarityOf(rarityRoll);
        return switch (rarity) {
            case UR -> {
                Outcome top = featured(rules.topFeatured(), before.topFeaturedGuaranteed(), featuredRoll);
                yield new Pull(rarity, top.featured, cardRoll,
                        new PityState(0, 0, top.guaranteedNext, before.srFeaturedGuaranteed()));
            }
            case SSR -> new Pull(rarity, false, cardRoll, new PityState(sinceTop, 0,
                    before.topFeaturedGuaranteed(), before.srFeaturedGuaranteed()));
            case SR -> {
                Outcome sr = featured(rules.srFeatured(), before.srFeaturedGuaranteed(), featuredRoll);
                yield new Pull(rarity, sr.featured, cardRoll,
                        new PityState(sinceTop, 0, before.topFeaturedGuaranteed(), sr.guaranteedNext));
            }
            case R -> new Pull(rarity, false, cardRoll, new PityState(sinceTop, sinceSr,
                    before.topFeaturedGuaranteed(), before.srFeaturedGuaranteed()));
        };
    }

    /**
     * Ten pulls in a row, each a real {@link #pull} from the state the one before left. It always holds a card of
     * SR or better: the SR counter is below {@code srPity <= 10} before the first pull and counts up by one per
     * pull without SR or better, so if the first nine have none, the tenth is pull {@code >= 10 >= srPity} since the
     * last and is guaranteed.
     *
     * @return the ten pulls in order; the last one's {@link Pull#after()} is the pity after the ten-pull
     */
    public static List<Pull> tenPull(BannerRules rules, PityState before, DrawRandom random) {
        return pulls(rules, before, random, TEN);
    }

    /**
     * {@code count} pulls in a row, the pity threaded through them.
     *
     * @throws IllegalArgumentException when {@code count < 1}, or as {@link #pull}
     */
    public static List<Pull> pulls(BannerRules rules, PityState before, DrawRandom random, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be 1 or more, was " + count);
        }
        List<Pull> pulls = new ArrayList<>(count);
        PityState state = before;
        for (int i = 0; i < count; i++) {
            Pull pull = pull(rules, state, random);
            pulls.add(pull);
            state = pull.after();
        }
        return List.copyOf(pulls);
    }

    private record Outcome(boolean featured, boolean guaranteedNext) {
    }

    private static Outcome featured(BannerRules.@Nullable Featured rule, boolean guaranteed, int roll) {
        if (rule == null) {
            return new Outcome(false, guaranteed);
        }
        if (guaranteed || roll < rule.sharePpm()) {
            return new Outcome(true, false);
        }
        return new Outcome(false, rule.guaranteeAfterLoss());
    }

    private static int next(DrawRandom random) {
        int value = random.next();
        if (value < 0 || value >= DrawRandom.RANGE) {
            throw new IllegalStateException("DrawRandom " + random.getClass().getName() + " returned " + value
                    + ", outside [0, 1000000)");
        }
        return value;
    }
}
