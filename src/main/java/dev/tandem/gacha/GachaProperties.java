package dev.tandem.gacha;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tandem.gacha.*}: what duplicates give, what the shard shop asks, and the gems the app gives for
 * check-ins, bond levels and chat activity. Defaults in {@code application.yaml}.
 *
 * @param duplicateShards shards a duplicate card gives, per rarity (R 1, SR 5, SSR 20, UR 50)
 * @param shopShards      shards the shop asks for a card, per rarity (R 10, SR 50, SSR 200, UR 400)
 * @param checkinGems     free gems for day 1, 2, ... of a check-in streak; after the last day the cycle starts
 *                        over (10, 10, 15, 15, 20, 20, 40)
 * @param bondGems        free gems for bond level 1, 2, ... with a character; levels past the list give its last
 *                        value (20, 30, 50, 80, 100)
 * @param chatGems        free gems per meaningful chat turn (1)
 * @param chatDailyCap    the most chat-activity gems per person per UTC day (20)
 */
@ConfigurationProperties("tandem.gacha")
public record GachaProperties(Map<Rarity, Integer> duplicateShards, Map<Rarity, Integer> shopShards,
        List<Long> checkinGems, List<Long> bondGems, long chatGems, long chatDailyCap) {

    /** @throws IllegalArgumentException naming the setting that is missing, negative or empty */
    public GachaProperties {
        duplicateShards = perRarity("tandem.gacha.duplicate-shards", duplicateShards, Map.of(Rarity.R, 1, Rarity.SR, 5,
                Rarity.SSR, 20, Rarity.UR, 50));
        shopShards = perRarity("tandem.gacha.shop-shards", shopShards, Map.of(Rarity.R, 10, Rarity.SR, 50,
                Rarity.SSR, 200, Rarity.UR, 400));
        checkinGems = positive("tandem.gacha.checkin-gems", checkinGems, List.of(10L, 10L, 15L, 15L, 20L, 20L, 40L));
        bondGems = positive("tandem.gacha.bond-gems", bondGems, List.of(20L, 30L, 50L, 80L, 100L));
        if (chatGems < 0 || chatDailyCap < 0) {
            throw new IllegalArgumentException("tandem.gacha.chat-gems and chat-daily-cap must be 0 or more, were "
                    + chatGems + " and " + chatDailyCap);
        }
    }

    /** The defaults, as {@code application.yaml} sets them. */
    public static GachaProperties defaults() {
        return new GachaProperties(null, null, null, null, 1, 20);
    }

    /** Free gems for day {@code streak} (1 and up) of a check-in streak. */
    public long checkinGemsFor(int streak) {
        return checkinGems.get((streak - 1) % checkinGems.size());
    }

    /** Free gems for reaching bond {@code level} (1 and up). */
    public long bondGemsFor(int level) {
        return bondGems.get(Math.min(level, bondGems.size()) - 1);
    }

    private static Map<Rarity, Integer> perRarity(String name, Map<Rarity, Integer> given, Map<Rarity, Integer> fallback) {
        EnumMap<Rarity, Integer> out = new EnumMap<>(Rarity.class);
        for (Rarity r : Rarity.values()) {
            Integer v = given == null ? null : given.get(r);
            int value = v == null ? fallback.get(r) : v;
            if (value < 0) {
                throw new IllegalArgumentException(name + "." + r + " must be 0 or more, was " + value);
            }
            out.put(r, value);
        }
        return Map.copyOf(out);
    }

    private static List<Long> positive(String name, List<Long> given, List<Long> fallback) {
        List<Long> list = given == null || given.isEmpty() ? fallback : List.copyOf(given);
        if (list.stream().anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException(name + " must list amounts of 0 or more, was " + list);
        }
        return list;
    }
}
