package dev.tandem.gacha;

import dev.tandem.identity.Ids;
import dev.tandem.companion.Accounts;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What people own: their cards (with how many times they got each) and their shards. Duplicates drawn convert to
 * shards ({@link GachaProperties#duplicateShards()}); shards buy any card of a set in the shop
 * ({@link GachaProperties#shopShards()}), so every card has a path that is not random. Shards move only in
 * database transactions, once per idempotency key, and never below zero. Thread-safe.
 *
 * @throws GachaException naming what is wrong
 */
@Service
public class CardCollection {

    /** A card a person owns. */
    public record Owned(Card card, int copies, long firstAt, long lastAt) {
    }

    /**
     * A change of a person's shards.
     *
     * @param kind      {@code duplicates} (a draw's duplicates) or {@code shop} (a card bought)
     * @param reference the draw or the card
     */
    public record ShardMove(String id, long amount, String kind, String reference, long at) {
    }

    /**
     * A card bought in the shop.
     *
     * @param repeated true when the key was used before and nothing changed now
     */
    public record Purchase(Card card, long shards, long balanceAfter, boolean repeated) {
    }

    static final Pattern KEY = Pattern.compile("[!-~]{1,100}");

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Cards cards;
    private final Accounts accounts;
    private final GachaProperties properties;
    private final Clock clock;

    CardCollection(JdbcClient jdbc, TransactionTemplate tx, Cards cards, Accounts accounts, GachaProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.cards = cards;
        this.accounts = accounts;
        this.properties = properties;
        this.clock = clock;
    }

    /** The person's cards, rarest first, then by name. */
    public List<Owned> owned(String personId) {
        return jdbc.sql("SELECT " + prefixed() + ", o.copies, o.first_at, o.last_at FROM gacha_collection o "
                        + "JOIN gacha_cards c ON c.id = o.card_id WHERE o.person_id = :p ORDER BY c.name, c.id")
                .param("p", personId)
                .query((rs, i) -> new Owned(Cards.card(rs), rs.getInt(11), rs.getLong(12), rs.getLong(13))).list()
                .stream().sorted((a, b) -> b.card().rarity().compareTo(a.card().rarity())).toList();
    }

    /** How many copies of {@code cardId} the person has got (0: not owned). */
    public int copies(String personId, String cardId) {
        return jdbc.sql("SELECT copies FROM gacha_collection WHERE person_id = :p AND card_id = :c")
                .param("p", personId).param("c", cardId).query(Integer.class).optional().orElse(0);
    }

    /** The person's card ids with their copies. */
    public Map<String, Integer> copiesByCard(String personId) {
        Map<String, Integer> out = new HashMap<>();
        jdbc.sql("SELECT card_id, copies FROM gacha_collection WHERE person_id = :p").param("p", personId)
                .query(rs -> {
                    out.put(rs.getString(1), rs.getInt(2));
                });
        return out;
    }

    public long shards(String personId) {
        return jdbc.sql("SELECT balance FROM gacha_shards WHERE person_id = :p").param("p", personId)
                .query(Long.class).optional().orElse(0L);
    }

    /** The person's shard moves, newest first. */
    public List<ShardMove> shardHistory(String personId, int limit) {
        return jdbc.sql("SELECT id, amount, kind, reference, created_at FROM gacha_shard_moves WHERE person_id = :p "
                        + "ORDER BY created_at DESC, id DESC LIMIT :n")
                .param("p", personId).param("n", Math.max(1, Math.min(limit, 1000)))
                .query((rs, i) -> new ShardMove(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5)))
                .list();
    }

    /** What the shop asks for a card of {@code rarity}. */
    public long price(Rarity rarity) {
        return properties.shopShards().get(rarity);
    }

    /**
     * Buys a card with shards: once per {@code key} (a double tap buys once).
     *
     * @throws GachaException CONFLICT when the person owns the card already; INSUFFICIENT without enough shards;
     *                        NOT_FOUND for a card they cannot see
     */
    public Purchase buy(String personId, String cardId, String key) {
        checkKey(key);
        Card card = cards.visible(accounts.viewer(personId), cardId);
        long price = price(card.rarity());
        String moveKey = "shop:" + personId + ":" + key;
        return tx.execute(s -> {
            lockShards(personId);
            Optional<Long> before = jdbc.sql("SELECT amount FROM gacha_shard_moves WHERE idempotency_key = :k")
                    .param("k", moveKey).query(Long.class).optional();
            if (before.isPresent()) {
                return new Purchase(card, -before.get(), shards(personId), true);
            }
            if (copies(personId, cardId) > 0) {
                throw GachaException.conflict("You own " + card.name() + " already.");
            }
            long balance = shards(personId);
            if (balance < price) {
                throw new GachaException(GachaException.Reason.INSUFFICIENT, card.name() + " costs " + price
                        + " shards; you have " + balance + ".", "card");
            }
            long now = clock.millis();
            moveShards(personId, -price, "shop", moveKey, cardId, now);
            grant(personId, Map.of(cardId, 1), now);
            return new Purchase(card, price, balance - price, false);
        });
    }

    /** In the caller's transaction: adds {@code copies} of each card to the person's collection, in one statement. */
    void grant(String personId, Map<String, Integer> copies, long now) {
        if (copies.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO gacha_collection (person_id, card_id, copies, first_at, "
                + "last_at) VALUES ");
        Map<String, Object> params = new HashMap<>();
        params.put("p", personId);
        params.put("now", now);
        int i = 0;
        for (Map.Entry<String, Integer> e : copies.entrySet()) {
            sql.append(i == 0 ? "" : ", ").append("(:p, :c").append(i).append(", :n").append(i).append(", :now, :now)");
            params.put("c" + i, e.getKey());
            params.put("n" + i, e.getValue());
            i++;
        }
        // distinct cards only: PostgreSQL refuses to update one row twice in a statement
        sql.append(" ON CONFLICT (person_id, card_id) DO UPDATE SET copies = gacha_collection.copies + excluded.copies, "
                + "last_at = excluded.last_at");
        jdbc.sql(sql.toString()).params(params).update();
    }

    /**
     * In the caller's transaction, which holds the person's lock (a draw's): adds shards, making the person's shard
     * row if needed, in two statements.
     */
    void addShards(String personId, long amount, String kind, String key, String reference, long now) {
        insertMove(personId, amount, kind, key, reference, now);
        jdbc.sql("INSERT INTO gacha_shards (person_id, balance, updated_at) VALUES (:p, :a, :now) "
                        + "ON CONFLICT (person_id) DO UPDATE SET balance = gacha_shards.balance + excluded.balance, "
                        + "updated_at = excluded.updated_at")
                .param("p", personId).param("a", amount).param("now", now).update();
    }

    /** In the caller's transaction: moves shards (positive: in), after {@link #lockShards}. */
    void moveShards(String personId, long amount, String kind, String key, String reference, long now) {
        insertMove(personId, amount, kind, key, reference, now);
        jdbc.sql("UPDATE gacha_shards SET balance = balance + :a, updated_at = :now WHERE person_id = :p")
                .param("a", amount).param("now", now).param("p", personId).update();
    }

    private void insertMove(String personId, long amount, String kind, String key, String reference, long now) {
        jdbc.sql("INSERT INTO gacha_shard_moves (id, person_id, idempotency_key, amount, kind, reference, created_at) "
                        + "VALUES (:id, :p, :k, :a, :kind, :r, :now)")
                .param("id", Ids.next("shd")).param("p", personId).param("k", key).param("a", amount)
                .param("kind", kind).param("r", reference).param("now", now).update();
    }

    /** In the caller's transaction: makes the person's shard row if needed and takes its write lock. */
    void lockShards(String personId) {
        int locked = jdbc.sql("UPDATE gacha_shards SET balance = balance WHERE person_id = :p").param("p", personId)
                .update();
        if (locked == 0) {
            jdbc.sql("INSERT INTO gacha_shards (person_id, balance, updated_at) VALUES (:p, 0, :now) "
                    + "ON CONFLICT (person_id) DO NOTHING").param("p", personId).param("now", clock.millis()).update();
            jdbc.sql("UPDATE gacha_shards SET balance = balance WHERE person_id = :p").param("p", personId).update();
        }
    }

    static void checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw GachaException.invalid("key", "An idempotency key has 1 to 100 printable ASCII characters without "
                    + "spaces.");
        }
    }

    private static String prefixed() {
        return "c." + Cards.COLUMNS.replace(", ", ", c.");
    }
}
