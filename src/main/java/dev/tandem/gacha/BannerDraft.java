package dev.tandem.gacha;

import java.util.List;

/**
 * A banner to make: checked by {@link Banners#create}.
 *
 * @param name        1 to 100 characters
 * @param description up to 2,000 characters
 * @param startsAt    epoch ms
 * @param endsAt      epoch ms, after {@code startsAt} and in the future
 * @param pullCost    gems per pull, 1 to 1,000,000 (e.g. 160)
 * @param tenPullCost gems per ten-pull, 1 to 10,000,000 (e.g. 1,600)
 * @param pool        the cards in listed order, each with whether it is featured
 */
public record BannerDraft(String name, String description, BannerRules rules, long startsAt, long endsAt,
        long pullCost, long tenPullCost, List<Entry> pool) {

    /** A card of the pool to be. */
    public record Entry(String cardId, boolean featured) {
    }

    public BannerDraft {
        pool = List.copyOf(pool);
    }
}
