package dev.tandem.gacha;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A banner: time-limited, with rules ({@link BannerRules}: base rates, pity, featured shares, banner type), a pool
 * of cards in their listed order, and its prices in gems. Never changes once started, except that it may be ended
 * early. Immutable.
 *
 * @param startsAt    epoch ms from which it draws
 * @param endsAt      epoch ms from which it no longer draws
 * @param pullCost    gems for one pull
 * @param tenPullCost gems for a ten-pull
 * @param pool        the cards in listed order (the order the card roll indexes)
 */
public record Banner(String id, String name, String description, BannerRules rules, long startsAt, long endsAt,
        long pullCost, long tenPullCost, List<PoolCard> pool, String createdBy, long createdAt) {

    /** A card of the pool: its rarity and whether it is featured (rate-up). */
    public record PoolCard(String cardId, Rarity rarity, boolean featured) {
    }

    public Banner {
        pool = List.copyOf(pool);
    }

    /** Pity carries over between banners of this type. */
    public String type() {
        return rules.bannerType();
    }

    /** Whether it draws at {@code now}. */
    public boolean open(long now) {
        return now >= startsAt && now < endsAt;
    }

    /** Whether it has started at {@code now} (and so may no longer change). */
    public boolean started(long now) {
        return now >= startsAt;
    }

    /** The gems a draw of {@code pulls} (1 or 10) costs. */
    public long cost(int pulls) {
        return pulls == DrawEngine.TEN ? tenPullCost : pullCost;
    }

    /** The pool as the draw engine reads it: per rarity, featured cards apart, in listed order. */
    public CardPool cardPool() {
        Map<Rarity, List<String>> cards = new EnumMap<>(Rarity.class);
        Map<Rarity, List<String>> featured = new EnumMap<>(Rarity.class);
        for (PoolCard c : pool) {
            (c.featured() ? featured : cards).computeIfAbsent(c.rarity(), r -> new ArrayList<>()).add(c.cardId());
        }
        return new CardPool(cards, featured);
    }

    /** The featured cards, in listed order. */
    public List<PoolCard> featured() {
        return pool.stream().filter(PoolCard::featured).toList();
    }
}
