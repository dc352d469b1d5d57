package dev.tandem.gacha;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The cards a banner can give, by rarity: the featured (rate-up) ones apart from the rest. Immutable and
 * thread-safe. A pull becomes a card through its card roll ({@link #cardFor(Pull)}).
 *
 * <p><b>Picking.</b> A featured pull picks from {@code featured(rarity)}, any other from {@code cards(rarity)}. With
 * {@code k} cards in the list and card roll {@code u} in {@code [0, 1_000_000)}, the card is number
 * {@code floor(u * k / 1_000_000)}: card {@code i} gets the rolls from {@code ceil(i * 10^6 / k)} up to
 * {@code ceil((i + 1) * 10^6 / k)}, which is {@code 1/k} exactly when {@code k} divides a million and otherwise
 * within one ppm of it ({@link #pickShare}). Lists hold at most {@value #MAX_CARDS_PER_LIST} cards.
 *
 * @param cards    per rarity, the cards that are not featured; a rarity not named has none
 * @param featured per rarity, the featured cards; only for rarities the rules feature
 */
public record CardPool(Map<Rarity, List<String>> cards, Map<Rarity, List<String>> featured) {

    /** The most cards one list (one rarity, featured or not) may hold. */
    public static final int MAX_CARDS_PER_LIST = 1_000;

    /** @throws IllegalArgumentException when an id is blank or appears twice, or a list is too long */
    public CardPool {
        Set<String> seen = new HashSet<>();
        cards = copy(cards, "cards", seen);
        featured = copy(featured, "featured", seen);
    }

    /**
     * The card of {@code pull}.
     *
     * @throws IllegalArgumentException when the pool has no card of the pull's kind (see {@link #checkFits})
     */
    public String cardFor(Pull pull) {
        List<String> list = (pull.featured() ? featured : cards).get(pull.rarity());
        if (list.isEmpty()) {
            throw new IllegalArgumentException("the pool has no " + (pull.featured() ? "featured " : "non-featured ")
                    + pull.rarity() + " card for this pull");
        }
        return list.get((int) ((long) pull.cardRoll() * list.size() / DrawRandom.RANGE));
    }

    /**
     * Checks that every pull {@code rules} can give has a card here: non-featured cards of R and SSR where their base
     * rate is above zero, of SR and the top rarity always (the pities give them) unless every one of them is
     * featured; featured cards exactly for the rarities the rules feature.
     *
     * @return this pool
     * @throws IllegalArgumentException naming the rarity and what is missing or superfluous
     */
    public CardPool checkFits(BannerRules rules) {
        for (Rarity rarity : Rarity.values()) {
            BannerRules.@Nullable Featured rule = switch (rarity) {
                case UR -> rules.topFeatured();
                case SR -> rules.srFeatured();
                default -> null;
            };
            boolean drawable = rarity == Rarity.UR || rarity == Rarity.SR || rules.baseRatePpm(rarity) > 0;
            boolean allFeatured = rule != null && rule.sharePpm() == DrawRandom.RANGE;
            if (drawable && !allFeatured && cards.get(rarity).isEmpty()) {
                throw new IllegalArgumentException("the pool needs at least one non-featured " + rarity
                        + " card for banner type '" + rules.bannerType() + "'");
            }
            if (rule != null && featured.get(rarity).isEmpty()) {
                throw new IllegalArgumentException("the pool needs at least one featured " + rarity
                        + " card: the rules feature " + rarity);
            }
            if (rule == null && !featured.get(rarity).isEmpty()) {
                throw new IllegalArgumentException("the pool features " + rarity + " cards but the rules feature no "
                        + rarity + ", so they could never be drawn");
            }
        }
        return this;
    }

    /**
     * The exact chance that card {@code index} of a list of {@code size} is picked:
     * {@code (ceil((index + 1) * 10^6 / size) - ceil(index * 10^6 / size)) / 10^6}.
     *
     * @throws IllegalArgumentException when {@code index} is not in {@code [0, size)}
     */
    public static double pickShare(int index, int size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index must be in [0, " + size + "), was " + index);
        }
        return (firstRoll(index + 1, size) - firstRoll(index, size)) / (double) DrawRandom.RANGE;
    }

    private static long firstRoll(int index, int size) {
        return Math.ceilDiv((long) index * DrawRandom.RANGE, size);
    }

    private static Map<Rarity, List<String>> copy(Map<Rarity, List<String>> byRarity, String name, Set<String> seen) {
        Objects.requireNonNull(byRarity, name);
        EnumMap<Rarity, List<String>> copy = new EnumMap<>(Rarity.class);
        for (Rarity rarity : Rarity.values()) {
            List<String> ids = List.copyOf(byRarity.getOrDefault(rarity, List.of()));
            if (ids.size() > MAX_CARDS_PER_LIST) {
                throw new IllegalArgumentException(name + "[" + rarity + "] may hold at most " + MAX_CARDS_PER_LIST
                        + " cards, held " + ids.size());
            }
            for (String id : ids) {
                if (id.isBlank()) {
                    throw new IllegalArgumentException(name + "[" + rarity + "] holds a blank card id");
                }
                if (!seen.add(id)) {
                    throw new IllegalArgumentException("card id '" + id + "' appears more than once in the pool");
                }
            }
            copy.put(rarity, ids);
        }
        return Collections.unmodifiableMap(copy);
    }
}
