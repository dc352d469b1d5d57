package dev.tandem.gacha;

import dev.tandem.billing.Gems;
import dev.tandem.billing.LedgerCheck;
import dev.tandem.companion.Accounts;
import dev.tandem.companion.CharacterDraft;
import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Characters;
import dev.tandem.companion.Profile;
import dev.tandem.support.Closing;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real Tandem (SQLite, or a fresh PostgreSQL) with the gacha's services at hand, and what most gacha tests need:
 * people of a chosen age, a public character with a card set, and Genshin-like banners over it.
 */
final class GachaWorld implements AutoCloseable {

    static final AtomicInteger PEOPLE = new AtomicInteger();

    final TandemServer server;
    final Databases.Fresh pg;
    final Accounts accounts;
    final Characters characters;
    final Cards cards;
    final Banners banners;
    final Draws draws;
    final Fairness fairness;
    final CardCollection collection;
    final Rewards rewards;
    final Gems gems;
    final LedgerCheck ledger;
    final JdbcClient jdbc;

    private GachaWorld(TandemServer server, Databases.Fresh pg) {
        this.server = server;
        this.pg = pg;
        var c = server.context();
        accounts = c.getBean(Accounts.class);
        characters = c.getBean(Characters.class);
        cards = c.getBean(Cards.class);
        banners = c.getBean(Banners.class);
        draws = c.getBean(Draws.class);
        fairness = c.getBean(Fairness.class);
        collection = c.getBean(CardCollection.class);
        rewards = c.getBean(Rewards.class);
        gems = c.getBean(Gems.class);
        ledger = c.getBean(LedgerCheck.class);
        jdbc = c.getBean(JdbcClient.class);
    }

    /** {@code sqlite} or {@code postgresql} (skipped with a visible reason where no PostgreSQL answers). */
    static GachaWorld on(String database) {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        try {
            return new GachaWorld(TandemServer.start(pg == null ? Map.of() : Map.of("tandem.db.url", pg.url())), pg);
        } catch (RuntimeException e) {
            Closing.all(pg);
            throw e;
        }
    }

    /** A person with an app profile, {@code years} old. */
    Profile person(int years) {
        int n = PEOPLE.incrementAndGet();
        return accounts.signUp("g" + n + "_" + System.nanoTime() + "@example.com", "Gacha " + n,
                "correct horse battery", LocalDate.now().minusYears(years).minusDays(3).toString(),
                "g" + n + "_" + Long.toHexString(System.nanoTime() & 0xfffff));
    }

    /** A public character made by {@code creator}. */
    CharacterView character(Profile creator, String name) {
        return characters.create(creator.personId(), new CharacterDraft(name, "tagline", "A description.", "", "",
                "Hello.", List.of(), "", "", "", "", List.of("gacha"), "public", "everyone"), null);
    }

    /**
     * A set that fits Genshin-like rules: featured and other URs and SRs, three Rs; and one SSR that no banner
     * holds (only the shop sells it). Returns the cards in that order.
     */
    List<Card> set(Profile creator, CharacterView character) {
        Cards.Editor editor = new Cards.Editor(creator.personId(), false);
        List<Card> out = new ArrayList<>();
        String[][] specs = {{"Star", "UR"}, {"Moon", "UR"}, {"Spark", "SR"}, {"Ember", "SR"}, {"Frost", "SR"},
            {"Pebble", "R"}, {"Leaf", "R"}, {"Drop", "R"}, {"Shop only", "SSR"}};
        for (String[] s : specs) {
            out.add(cards.create(editor, character.id(), CardDraft.of(s[0], s[1], "story", s[0] + "'s story."), null));
        }
        return out;
    }

    /** A Genshin-like banner over {@code set} (as {@link #set} returns it), open now. */
    Banner banner(List<Card> set, String name) {
        long now = System.currentTimeMillis();
        List<BannerDraft.Entry> pool = List.of(new BannerDraft.Entry(set.get(0).id(), true),
                new BannerDraft.Entry(set.get(1).id(), false), new BannerDraft.Entry(set.get(2).id(), true),
                new BannerDraft.Entry(set.get(3).id(), false), new BannerDraft.Entry(set.get(4).id(), false),
                new BannerDraft.Entry(set.get(5).id(), false), new BannerDraft.Entry(set.get(6).id(), false),
                new BannerDraft.Entry(set.get(7).id(), false));
        return banners.create(new BannerDraft(name, "A test banner.", BannerRules.genshinLike(), now - 1000,
                now + 86_400_000L, 160, 1600, pool), "test");
    }

    void gems(Profile p, long amount) {
        gems.credit(p.personId(), Gems.Kind.PAID, amount, "purchase", "test:" + p.personId() + ":" + System.nanoTime(),
                "", "test gems");
    }

    @Override
    public void close() {
        Closing.all(server, pg);
    }
}
