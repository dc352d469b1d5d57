package dev.tandem.gacha;

import dev.tandem.identity.Ids;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.Characters;
import dev.tandem.companion.Viewer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Banners, made by platform admins: checked whole on creation (rules, pool against rules, cards that exist and
 * belong to characters people can see, a time window, prices), and frozen from their start, so every past draw
 * recomputes from what is stored and the published odds stay true. Banners of one type share their pity counters,
 * so they must agree on the hard pity and the SR pity. Thread-safe.
 *
 * @throws GachaException naming the field at fault
 */
@Service
public class Banners {

    /** The JSON of rules and pools, as {@code gacha verify --rules/--pool} reads it. */
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final long MAX_PULL_COST = 1_000_000;

    /** One card's long-run chance per pull, pity included: its rarity's overall rate times its share within it. */
    public record CardOdds(Banner.PoolCard card, double perPull) {
    }

    static final long CACHE_MILLIS = 2_000;

    private record Cached(Banner banner, long loadedAt) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Cards cards;
    private final Characters characters;
    private final Clock clock;

    Banners(JdbcClient jdbc, TransactionTemplate tx, Cards cards, Characters characters, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.cards = cards;
        this.characters = characters;
        this.clock = clock;
    }

    /** Makes a banner after checking all of it; {@code createdBy} is the admin key or person. */
    public Banner create(BannerDraft draft, String createdBy) {
        long now = clock.millis();
        String name = draft.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw GachaException.invalid("name", "A banner's name has 1 to 100 characters.");
        }
        if (draft.description().length() > 2000) {
            throw GachaException.invalid("description", "A banner's description has at most 2,000 characters.");
        }
        if (draft.endsAt() <= draft.startsAt()) {
            throw GachaException.invalid("ends_at", "A banner must end after it starts.");
        }
        if (draft.endsAt() <= now) {
            throw GachaException.invalid("ends_at", "A banner must end in the future.");
        }
        if (draft.pullCost() < 1 || draft.pullCost() > MAX_PULL_COST) {
            throw GachaException.invalid("pull_cost", "A pull costs 1 to " + MAX_PULL_COST + " gems, was "
                    + draft.pullCost() + ".");
        }
        if (draft.tenPullCost() < 1 || draft.tenPullCost() > 10 * MAX_PULL_COST) {
            throw GachaException.invalid("ten_pull_cost", "A ten-pull costs 1 to " + 10 * MAX_PULL_COST
                    + " gems, was " + draft.tenPullCost() + ".");
        }
        if (draft.pool().isEmpty()) {
            throw GachaException.invalid("cards", "A banner needs a pool of cards.");
        }
        Map<String, Card> known = cards.byIds(draft.pool().stream().map(BannerDraft.Entry::cardId).toList());
        List<Banner.PoolCard> pool = new ArrayList<>();
        Set<String> characterIds = new HashSet<>();
        for (BannerDraft.Entry e : draft.pool()) {
            Card card = known.get(e.cardId());
            if (card == null) {
                throw GachaException.invalid("cards", "No card '" + e.cardId() + "'.");
            }
            characterIds.add(card.characterId());
            pool.add(new Banner.PoolCard(card.id(), card.rarity(), e.featured()));
        }
        for (String characterId : characterIds) {
            try {
                characters.find(new Viewer(null, false), characterId);
            } catch (CompanionException e) {
                throw GachaException.invalid("cards", "Character " + characterId + " is private or deleted: its "
                        + "cards cannot be in a banner.");
            }
        }
        BannerRules rules = draft.rules();
        String id = Ids.next("bnr");
        Banner banner = new Banner(id, name, draft.description().strip(), rules, draft.startsAt(), draft.endsAt(),
                draft.pullCost(), draft.tenPullCost(), pool, createdBy, now);
        try {
            banner.cardPool().checkFits(rules);
        } catch (IllegalArgumentException e) {
            throw GachaException.invalid("cards", "The pool does not fit the rules: " + e.getMessage() + ".");
        }
        tx.executeWithoutResult(s -> {
            for (Banner other : ofType(rules.bannerType())) {
                if (other.rules().hardPity() != rules.hardPity() || other.rules().srPity() != rules.srPity()) {
                    throw GachaException.invalid("rules", "Banners of type '" + rules.bannerType() + "' share their "
                            + "pity counters, so they share the hard pity and the SR pity: banner " + other.id()
                            + " has " + other.rules().hardPity() + " and " + other.rules().srPity() + ".");
                }
            }
            jdbc.sql("INSERT INTO gacha_banners (id, name, description, banner_type, rules_json, starts_at, ends_at, "
                            + "pull_cost, ten_pull_cost, created_by, created_at) VALUES (:id, :n, :d, :t, :r, :s, :e, "
                            + ":c1, :c10, :by, :now)")
                    .param("id", id).param("n", banner.name()).param("d", banner.description())
                    .param("t", rules.bannerType()).param("r", JSON.writeValueAsString(rules))
                    .param("s", banner.startsAt()).param("e", banner.endsAt()).param("c1", banner.pullCost())
                    .param("c10", banner.tenPullCost()).param("by", createdBy).param("now", now).update();
            int position = 0;
            for (Banner.PoolCard c : pool) {
                jdbc.sql("INSERT INTO gacha_banner_cards (banner_id, card_id, featured, position) "
                                + "VALUES (:b, :c, :f, :p)")
                        .param("b", id).param("c", c.cardId()).param("f", c.featured() ? 1 : 0)
                        .param("p", position++).update();
            }
        });
        return find(id).orElseThrow();
    }

    /**
     * The banner, from a cache of {@value #CACHE_MILLIS} ms for draws: a banner never changes once started except
     * for being ended early, which this node sees at once and other nodes within that time.
     */
    public Optional<Banner> cached(String id) {
        long now = System.nanoTime();
        Cached c = cache.get(id);
        if (c != null && now - c.loadedAt() < CACHE_MILLIS * 1_000_000L) {
            return Optional.of(c.banner());
        }
        Optional<Banner> b = find(id);
        b.ifPresent(banner -> {
            if (cache.size() > 1_000) {
                cache.clear();
            }
            cache.put(id, new Cached(banner, now));
        });
        return b;
    }

    public Optional<Banner> find(String id) {
        return load("WHERE id = :id", Map.of("id", id)).stream().findFirst();
    }

    /** Every banner, newest first. */
    public List<Banner> all() {
        return load("ORDER BY created_at DESC, id", Map.of());
    }

    /** The banners open at {@code now} and those still to come, ending soonest first. */
    public List<Banner> current() {
        return load("WHERE ends_at > :now ORDER BY ends_at, id", Map.of("now", clock.millis()));
    }

    /** Banners of a type (they share pity). */
    public List<Banner> ofType(String bannerType) {
        return load("WHERE banner_type = :t ORDER BY created_at, id", Map.of("t", bannerType));
    }

    /** The banners (open or to come) that hold {@code cardId}. */
    public List<Banner> holding(String cardId) {
        return load("WHERE ends_at > :now AND id IN (SELECT banner_id FROM gacha_banner_cards WHERE card_id = :c) "
                + "ORDER BY ends_at, id", Map.of("now", clock.millis(), "c", cardId));
    }

    /** Ends a banner now (no later than it would have ended); returns it as it is after. */
    public Banner end(String id) {
        Banner b = find(id).orElseThrow(() -> GachaException.notFound("The banner"));
        jdbc.sql("UPDATE gacha_banners SET ends_at = :now WHERE id = :id AND ends_at > :now")
                .param("now", clock.millis()).param("id", id).update();
        cache.remove(id);
        return find(b.id()).orElseThrow();
    }

    /**
     * Deletes a banner that has not started.
     *
     * @throws GachaException CONFLICT once it has started (end it instead)
     */
    public void delete(String id) {
        Banner b = find(id).orElseThrow(() -> GachaException.notFound("The banner"));
        if (b.started(clock.millis())) {
            throw GachaException.conflict("Banner " + id + " has started: its draws recompute from it, so it cannot "
                    + "be deleted; end it instead.");
        }
        tx.executeWithoutResult(s -> {
            jdbc.sql("DELETE FROM gacha_banner_cards WHERE banner_id = :id").param("id", id).update();
            jdbc.sql("DELETE FROM gacha_banners WHERE id = :id").param("id", id).update();
        });
        cache.remove(id);
    }

    /** Each card's long-run chance per pull, in pool order (see {@link Odds}, {@link CardPool#pickShare}). */
    public static List<CardOdds> cardOdds(Banner banner) {
        Odds odds = Odds.of(banner.rules());
        CardPool pool = banner.cardPool();
        List<CardOdds> out = new ArrayList<>();
        for (Banner.PoolCard c : banner.pool()) {
            List<String> list = (c.featured() ? pool.featured() : pool.cards()).get(c.rarity());
            double featuredShare = switch (c.rarity()) {
                case UR -> odds.featuredShareOfTops();
                case SR -> odds.featuredShareOfSrs();
                default -> 0;
            };
            double share = c.featured() ? featuredShare : 1 - featuredShare;
            out.add(new CardOdds(c, odds.overall(c.rarity()) * share
                    * CardPool.pickShare(list.indexOf(c.cardId()), list.size())));
        }
        return out;
    }

    /** The rules as {@code gacha verify --rules FILE} reads them. */
    public static String rulesJson(BannerRules rules) {
        return JSON.writeValueAsString(rules);
    }

    /** The pool as {@code gacha verify --pool FILE} reads it. */
    public static String poolJson(Banner banner) {
        return JSON.writeValueAsString(banner.cardPool());
    }

    private List<Banner> load(String where, Map<String, Object> params) {
        List<Object[]> rows = jdbc.sql("SELECT id, name, description, rules_json, starts_at, ends_at, pull_cost, "
                        + "ten_pull_cost, created_by, created_at FROM gacha_banners " + where)
                .params(params)
                .query((rs, i) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getLong(10)})
                .list();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<Banner.PoolCard>> pools = new LinkedHashMap<>();
        jdbc.sql("SELECT bc.banner_id, bc.card_id, c.rarity, bc.featured FROM gacha_banner_cards bc "
                        + "JOIN gacha_cards c ON c.id = bc.card_id WHERE bc.banner_id IN (:ids) "
                        + "ORDER BY bc.banner_id, bc.position")
                .param("ids", rows.stream().map(r -> (String) r[0]).toList())
                .query(rs -> {
                    pools.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Banner.PoolCard(
                            rs.getString(2), Rarity.valueOf(rs.getString(3)), rs.getInt(4) == 1));
                });
        return rows.stream().map(r -> new Banner((String) r[0], (String) r[1], (String) r[2],
                rules((String) r[3]), (long) r[4], (long) r[5], (long) r[6], (long) r[7],
                pools.getOrDefault((String) r[0], List.of()), (String) r[8], (long) r[9])).toList();
    }

    static BannerRules rules(String json) {
        return JSON.readValue(json, BannerRules.class);
    }
}
