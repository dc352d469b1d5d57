package dev.tandem.gacha;

import dev.tandem.identity.Ids;
import dev.tandem.billing.BillingException;
import dev.tandem.billing.Gems;
import dev.tandem.companion.Accounts;
import dev.tandem.companion.Viewer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Draws: a draw debits gems and grants its cards in one database transaction, once per (person, idempotency
 * key): the same key again answers the first draw and charges nothing (a double tap is one draw). Each person's
 * draws run one at a time (their seed row is locked first), and the gems spend is the transaction's last write, so
 * the ledger's shared rows are held for as short as can be. Draws are kept for good (no job deletes them) and
 * recompute from what they record ({@link #verify}). Teen mode refuses draws. Thread-safe.
 *
 * @throws GachaException FORBIDDEN in teen mode; CONFLICT for a banner not open, a key used for another draw or
 *                        a server seed rotated since the page showed its hash; INSUFFICIENT without the gems
 */
@Service
public class Draws {

    /**
     * A past draw recomputed from its revealed server seed.
     *
     * @param seed           the revealed seed, or null while it is still in use (rotate to reveal it)
     * @param verification   what {@link DrawVerifier} recomputed, or null before the reveal
     * @param recomputed     the cards the recomputed pulls give, in order (empty before the reveal)
     * @param confirmed      the seed matches the hash shown before the draw and the recomputed cards are the
     *                       recorded ones
     * @param command        the {@code gacha verify} command line that recomputes it, or null before the reveal
     */
    public record Check(Draw draw, Banner banner, Fairness.@Nullable Revealed seed,
            DrawVerifier.@Nullable Verification verification, List<String> recomputed, boolean confirmed,
            @Nullable String command) {
    }

    private static final String COLUMNS = "id, person_id, banner_id, banner_type, pulls, cost, gems_key, server_hash, "
            + "client_seed, nonce, pity_top_before, pity_sr_before, top_guar_before, sr_guar_before, shards, created_at, "
            + "idempotency_key";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Banners banners;
    private final Fairness fairness;
    private final CardCollection collection;
    private final Gems gems;
    private final Accounts accounts;
    private final GachaProperties properties;
    private final Clock clock;

    Draws(JdbcClient jdbc, TransactionTemplate tx, Banners banners, Fairness fairness, CardCollection collection,
            Gems gems, Accounts accounts, GachaProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.banners = banners;
        this.fairness = fairness;
        this.collection = collection;
        this.gems = gems;
        this.accounts = accounts;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Draws {@code pulls} (1 or 10) cards on a banner for the person.
     *
     * @param key       the client's idempotency key: 1 to 100 printable ASCII characters
     * @param shownHash the server seed hash the person was shown, or null; when given, a different seed in use
     *                  (rotated in another tab) refuses the draw instead of using a seed they did not see
     */
    public Draw draw(String personId, String bannerId, int pulls, String key, @Nullable String shownHash) {
        CardCollection.checkKey(key);
        if (pulls != 1 && pulls != DrawEngine.TEN) {
            throw GachaException.invalid("pulls", "A draw is 1 pull or 10, was " + pulls + ".");
        }
        Viewer viewer = accounts.viewer(personId);
        if (viewer.personId() == null) {
            throw new GachaException(GachaException.Reason.FORBIDDEN, "Sign up to the app before drawing.", null);
        }
        if (viewer.teen()) {
            throw new GachaException(GachaException.Reason.FORBIDDEN, "Draws are not available in teen mode.", null);
        }
        Banner banner = banners.cached(bannerId).orElseThrow(() -> GachaException.notFound("The banner"));
        long cost = banner.cost(pulls);
        long now = clock.millis();
        Gems.Balance balance = gems.balance(personId);
        boolean inDebt = balance.paid() < 0;
        boolean tooFew = balance.total() < cost;
        if (inDebt || tooFew || !banner.open(now)) { // refused before taking any lock, unless it is a repeat
            Optional<Draw> earlier = byKey(personId, key);
            if (earlier.isPresent()) {
                return same(earlier.get(), banner, pulls);
            }
            if (!banner.open(now)) {
                throw closed(banner, now);
            }
            throw inDebt ? new GachaException(GachaException.Reason.INSUFFICIENT, "A refunded purchase left your "
                    + "paid gems at " + balance.paid() + "; top up before spending gems again.", "pulls")
                    : notEnough(cost, balance.total());
        }
        try {
            return tx.execute(s -> drawLocked(personId, banner, pulls, key, shownHash, cost));
        } catch (BillingException e) {
            if (e.kind() == BillingException.Kind.INSUFFICIENT_BALANCE) {
                throw new GachaException(GachaException.Reason.INSUFFICIENT, e.getMessage(), "pulls");
            }
            throw e;
        }
    }

    private Draw drawLocked(String personId, Banner banner, int pulls, String key, @Nullable String shownHash,
            long cost) {
        Fairness.Player player = fairness.lock(personId);
        Optional<Draw> earlier = byKey(personId, key);
        if (earlier.isPresent()) { // answered even after the banner ended or the gems ran out
            return same(earlier.get(), banner, pulls);
        }
        long now = clock.millis();
        if (!banner.open(now)) {
            throw closed(banner, now);
        }
        if (shownHash != null && !shownHash.isBlank() && !shownHash.strip().equalsIgnoreCase(player.serverHash())) {
            throw new GachaException(GachaException.Reason.CONFLICT, "Your server seed was rotated since this page "
                    + "showed its hash; nothing was drawn. Reload to see the new hash, then draw.", "seed_hash");
        }
        BannerRules rules = banner.rules();
        PityState before = pity(personId, banner.type());
        List<Pull> result = DrawEngine.pulls(rules, before,
                new ProvablyFair(player.serverSeed(), player.clientSeed(), player.nextNonce()), pulls);
        CardPool pool = banner.cardPool();
        List<String> ids = result.stream().map(pool::cardFor).toList();
        Map<String, Integer> owned = new LinkedHashMap<>();
        jdbc.sql("SELECT card_id FROM gacha_collection WHERE person_id = :p AND card_id IN (:ids)")
                .param("p", personId).param("ids", ids.stream().distinct().toList())
                .query(rs -> {
                    owned.put(rs.getString(1), 1);
                });
        Map<String, Integer> grants = new LinkedHashMap<>();
        List<Draw.Drawn> drawn = new ArrayList<>();
        long shards = 0;
        for (int i = 0; i < result.size(); i++) {
            Pull pull = result.get(i);
            String cardId = ids.get(i);
            boolean duplicate = owned.containsKey(cardId) || grants.containsKey(cardId);
            int gives = duplicate ? properties.duplicateShards().get(pull.rarity()) : 0;
            shards += gives;
            grants.merge(cardId, 1, Integer::sum);
            drawn.add(new Draw.Drawn(i, cardId, pull.rarity(), pull.featured(), duplicate, gives));
        }
        String id = Ids.next("drw");
        String gemsKey = "draw:" + personId + ":" + key;
        Draw draw = new Draw(id, personId, banner.id(), banner.type(), pulls, cost, gemsKey, player.serverHash(),
                player.clientSeed(), player.nextNonce(), before, shards, now, drawn, false);
        insert(draw, key);
        collection.grant(personId, grants, now);
        if (shards > 0) {
            collection.addShards(personId, shards, "duplicates", "draw:" + id, id, now);
        }
        PityState after = result.getLast().after();
        jdbc.sql("INSERT INTO gacha_pity (person_id, banner_type, pulls_since_top, pulls_since_sr, top_guaranteed, "
                        + "sr_guaranteed, updated_at) VALUES (:p, :t, :top, :sr, :tg, :sg, :now) "
                        + "ON CONFLICT (person_id, banner_type) DO UPDATE SET pulls_since_top = :top, "
                        + "pulls_since_sr = :sr, top_guaranteed = :tg, sr_guaranteed = :sg, updated_at = :now")
                .param("p", personId).param("t", banner.type()).param("top", after.pullsSinceTop())
                .param("sr", after.pullsSinceSr()).param("tg", after.topFeaturedGuaranteed() ? 1 : 0)
                .param("sg", after.srFeaturedGuaranteed() ? 1 : 0).param("now", now).update();
        fairness.advance(personId);
        gems.spend(personId, cost, "draw", gemsKey, id, (pulls == 1 ? "1 pull" : pulls + "-pull") + " on "
                + banner.name());
        return draw;
    }

    private void insert(Draw d, String key) {
        jdbc.sql("INSERT INTO gacha_draws (" + COLUMNS + ") VALUES (:id, :p, :b, :t, :n, :cost, :gk, :h, :c, :nonce, "
                        + ":top, :sr, :tg, :sg, :shards, :now, :k)")
                .param("id", d.id()).param("p", d.personId()).param("b", d.bannerId()).param("t", d.bannerType())
                .param("n", d.pulls()).param("cost", d.cost()).param("gk", d.gemsKey()).param("h", d.serverHash())
                .param("c", d.clientSeed()).param("nonce", d.nonce()).param("top", d.pityBefore().pullsSinceTop())
                .param("sr", d.pityBefore().pullsSinceSr()).param("tg", d.pityBefore().topFeaturedGuaranteed() ? 1 : 0)
                .param("sg", d.pityBefore().srFeaturedGuaranteed() ? 1 : 0).param("shards", d.shards())
                .param("now", d.createdAt()).param("k", key).update();
        StringBuilder sql = new StringBuilder("INSERT INTO gacha_draw_cards (draw_id, seq, card_id, rarity, featured, "
                + "duplicate, shards) VALUES ");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("d", d.id());
        for (Draw.Drawn c : d.cards()) {
            int i = c.seq();
            sql.append(i == 0 ? "" : ", ").append("(:d, :s").append(i).append(", :c").append(i).append(", :r")
                    .append(i).append(", :f").append(i).append(", :u").append(i).append(", :h").append(i).append(')');
            params.put("s" + i, i);
            params.put("c" + i, c.cardId());
            params.put("r" + i, c.rarity().name());
            params.put("f" + i, c.featured() ? 1 : 0);
            params.put("u" + i, c.duplicate() ? 1 : 0);
            params.put("h" + i, c.shards());
        }
        jdbc.sql(sql.toString()).params(params).update();
    }

    private static Draw same(Draw earlier, Banner banner, int pulls) {
        if (!earlier.bannerId().equals(banner.id()) || earlier.pulls() != pulls) {
            throw new GachaException(GachaException.Reason.CONFLICT, "This idempotency key was used for another "
                    + "draw (" + earlier.pulls() + " on banner " + earlier.bannerId() + "); use a new key.", "key");
        }
        return earlier.asRepeat();
    }

    private static GachaException closed(Banner banner, long now) {
        return GachaException.conflict(now < banner.startsAt() ? "This banner has not started yet."
                : "This banner has ended.");
    }

    private static GachaException notEnough(long cost, long have) {
        return new GachaException(GachaException.Reason.INSUFFICIENT, "This draw needs " + cost + " gems; you have "
                + have + ".", "pulls");
    }

    /** The person's pity on a banner type (fresh before their first pull on it). */
    public PityState pity(String personId, String bannerType) {
        return jdbc.sql("SELECT pulls_since_top, pulls_since_sr, top_guaranteed, sr_guaranteed FROM gacha_pity "
                        + "WHERE person_id = :p AND banner_type = :t")
                .param("p", personId).param("t", bannerType)
                .query((rs, i) -> new PityState(rs.getInt(1), rs.getInt(2), rs.getInt(3) == 1, rs.getInt(4) == 1))
                .optional().orElse(PityState.FRESH);
    }

    /** One of the person's draws. */
    public Optional<Draw> find(String personId, String drawId) {
        return load("WHERE person_id = :p AND id = :id", Map.of("p", personId, "id", drawId)).stream().findFirst();
    }

    /**
     * The person's draws, newest first, {@code limit} (1 to 100) at a time: pass the last one of a page as
     * {@code before} for the next.
     */
    public List<Draw> history(String personId, @Nullable Draw before, int limit) {
        int n = Math.max(1, Math.min(limit, 100));
        if (before == null) {
            return load("WHERE person_id = :p ORDER BY created_at DESC, id DESC LIMIT " + n, Map.of("p", personId));
        }
        return load("WHERE person_id = :p AND (created_at < :at OR (created_at = :at AND id < :id)) "
                + "ORDER BY created_at DESC, id DESC LIMIT " + n,
                Map.of("p", personId, "at", before.createdAt(), "id", before.id()));
    }

    /** How many draws the person has made. */
    public long count(String personId) {
        return jdbc.sql("SELECT COUNT(*) FROM gacha_draws WHERE person_id = :p").param("p", personId)
                .query(Long.class).single();
    }

    /**
     * Recomputes one of the person's draws from its revealed server seed with {@link DrawVerifier}, and gives the
     * {@code gacha verify} command line that does the same without the server.
     */
    public Check verify(String personId, String drawId) {
        Draw d = find(personId, drawId).orElseThrow(() -> GachaException.notFound("The draw"));
        Banner b = banners.find(d.bannerId()).orElseThrow(() -> GachaException.notFound("The draw's banner"));
        Optional<Fairness.Revealed> seed = fairness.revealed(personId, d.serverHash());
        if (seed.isEmpty()) {
            return new Check(d, b, null, null, List.of(), false, null);
        }
        DrawVerifier.Verification v = DrawVerifier.verify(d.serverHash(), new ServerSeed(seed.get().serverSeed()),
                d.clientSeed(), d.nonce(), b.rules(), d.pityBefore(), d.pulls());
        List<String> recomputed = v.cards(b.cardPool());
        boolean same = v.seedMatchesShownHash() && recomputed.size() == d.cards().size();
        for (int i = 0; same && i < recomputed.size(); i++) {
            Draw.Drawn c = d.cards().get(i);
            Pull p = v.pulls().get(i);
            same = recomputed.get(i).equals(c.cardId()) && p.rarity() == c.rarity() && p.featured() == c.featured();
        }
        return new Check(d, b, seed.get(), v, recomputed, same, command(d, b, seed.get().serverSeed()));
    }

    /**
     * The {@code gacha verify} command line of a draw: {@code --rules genshin} for those rules, otherwise the
     * banner's rules file ({@code /banners/{id}/rules.json}), and its pool file ({@code /banners/{id}/pool.json}).
     */
    static String command(Draw d, Banner b, String serverSeed) {
        PityState p = d.pityBefore();
        String rules = b.rules().equals(BannerRules.genshinLike()) ? "genshin" : b.id() + "-rules.json";
        return "java -jar tandem.jar gacha verify --server-seed " + serverSeed + " --client-seed "
                + shellQuote(d.clientSeed()) + " --nonce " + d.nonce() + " --rules " + rules + " --pool " + b.id()
                + "-pool.json --pity " + p.pullsSinceTop() + "," + p.pullsSinceSr() + "," + p.topFeaturedGuaranteed()
                + "," + p.srFeaturedGuaranteed() + " --count " + d.pulls() + " --shown-hash " + d.serverHash();
    }

    static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9._:@%+=,/-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private Optional<Draw> byKey(String personId, String key) {
        return load("WHERE person_id = :p AND idempotency_key = :k", Map.of("p", personId, "k", key)).stream()
                .findFirst();
    }

    private List<Draw> load(String where, Map<String, Object> params) {
        List<Draw> draws = jdbc.sql("SELECT " + COLUMNS + " FROM gacha_draws " + where).params(params)
                .query((rs, i) -> draw(rs)).list();
        if (draws.isEmpty()) {
            return draws;
        }
        Map<String, List<Draw.Drawn>> cards = new LinkedHashMap<>();
        jdbc.sql("SELECT draw_id, seq, card_id, rarity, featured, duplicate, shards FROM gacha_draw_cards "
                        + "WHERE draw_id IN (:ids) ORDER BY draw_id, seq")
                .param("ids", draws.stream().map(Draw::id).toList())
                .query(rs -> {
                    cards.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Draw.Drawn(rs.getInt(2),
                            rs.getString(3), Rarity.valueOf(rs.getString(4)), rs.getInt(5) == 1, rs.getInt(6) == 1,
                            rs.getInt(7)));
                });
        return draws.stream().map(d -> new Draw(d.id(), d.personId(), d.bannerId(), d.bannerType(), d.pulls(),
                d.cost(), d.gemsKey(), d.serverHash(), d.clientSeed(), d.nonce(), d.pityBefore(), d.shards(),
                d.createdAt(), cards.getOrDefault(d.id(), List.of()), false)).toList();
    }

    private static Draw draw(ResultSet rs) throws SQLException {
        return new Draw(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10),
                new PityState(rs.getInt(11), rs.getInt(12), rs.getInt(13) == 1, rs.getInt(14) == 1), rs.getLong(15),
                rs.getLong(16), List.of(), false);
    }
}
