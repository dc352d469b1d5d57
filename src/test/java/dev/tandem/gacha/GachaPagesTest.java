package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Profile;
import dev.tandem.support.Browser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gacha's pages on a real server: drawing from a banner page (a double tap is one draw), the odds page before
 * signing in, recomputing a past draw on the fairness pages (and with the command line they show), the wallet and
 * check-in, the shard shop, card sets made by their creator, and teen mode.
 */
class GachaPagesTest {

    static GachaWorld world;
    static Profile creator;
    static CharacterView character;
    static List<Card> set;
    static Banner banner;

    @BeforeAll
    static void start() {
        world = GachaWorld.on("sqlite");
        creator = world.person(35);
        character = world.character(creator, "Orion");
        set = world.set(creator, character);
        banner = world.banner(set, "Orion's belt");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    /** A signed-up person's browser ({@code years} old); their profile is {@code profile(b)}. */
    static Browser signUp(int years) {
        Browser b = new Browser(world.server);
        int n = GachaWorld.PEOPLE.incrementAndGet();
        Browser.Reply r = b.post("/sign-up", Map.of("email", "page" + n + "_" + System.nanoTime() + "@example.com",
                "name", "Page " + n, "handle", "page" + n + "_" + Long.toHexString(System.nanoTime() & 0xffff),
                "password", "correct horse battery", "birth_date",
                LocalDate.now().minusYears(years).minusDays(3).toString()));
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        b.csrfFrom(b.get("/gems").ok());
        return b;
    }

    static Profile profile(Browser b) {
        Matcher m = Pattern.compile("href=\"/me\">@([a-z0-9_]+)<").matcher(b.get("/gems").ok().body());
        assertThat(m.find()).isTrue();
        return world.accounts.byHandle(m.group(1)).orElseThrow();
    }

    static String field(String page, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as(name + " in the page").isTrue();
        return m.group(1);
    }

    /** Posts the banner page's 10-pull form as shown; returns the redirect. */
    static Browser.Reply tenPull(Browser b, String page) {
        int form = page.indexOf("name=\"pulls\" value=\"10\"");
        String tail = page.substring(page.lastIndexOf("<form", form));
        return b.post("/banners/" + banner.id() + "/draw", Map.of("pulls", "10", "key", field(tail, "key"),
                "seed_hash", field(tail, "seed_hash")));
    }

    @Test
    void aTenPullFromTheBannerPageRevealsItsCardsAndADoubleTapIsOneDraw() {
        Browser b = signUp(25);
        Profile p = profile(b);
        world.gems(p, 3200);
        String page = b.get("/banners/" + banner.id()).ok().body();
        assertThat(page).contains(world.fairness.current(p.personId()).serverHash()).contains("1600 gems");
        Browser.Reply first = tenPull(b, page);
        Browser.Reply second = tenPull(b, page);
        assertThat(first.status()).as(first.body()).isEqualTo(302);
        assertThat(second.header("location")).isEqualTo(first.header("location"));
        assertThat(world.gems.balance(p.personId()).total()).isEqualTo(1600);
        String reveal = b.get(first.header("location").replaceAll("^https?://[^/]+", "")).ok().body();
        assertThat(reveal).contains("reveal animate");
        assertThat(Pattern.compile("class=\"drawn r-").matcher(reveal).results().count()).isEqualTo(10);
        assertThat(b.get("/draws").ok().body()).contains("10 pulls, 1600 gems");
        String wallet = b.get("/gems").ok().body();
        assertThat(wallet).contains("-1600").contains("10-pull on Orion&#39;s belt");
    }

    @Test
    void theOddsPageIsOpenToAnyoneAndShowsTheRatesComputedFromTheRules() {
        Browser anonymous = new Browser(world.server);
        String odds = anonymous.get("/banners/" + banner.id() + "/odds").ok().body();
        assertThat(odds).contains("0.6%").contains("1.6052%").contains("from pull 74").contains("pull 90 is always a UR")
                .contains("62.30 pulls").contains("Pebble");
        assertThat(anonymous.get("/banners/" + banner.id()).ok().body()).contains("to draw.")
                .doesNotContain("name=\"pulls\"");
        assertThat(anonymous.get("/banners/" + banner.id() + "/rules.json").ok().body())
                .isEqualTo(Banners.rulesJson(BannerRules.genshinLike()));
    }

    @Test
    void aPastDrawRecomputesOnTheFairnessPageAndWithItsCommandLine(@TempDir Path dir) throws Exception {
        Browser b = signUp(30);
        world.gems(profile(b), 1600);
        String draw = tenPull(b, b.get("/banners/" + banner.id()).ok().body()).header("location")
                .replaceAll(".*/draws/", "").replaceAll("\\?.*", "");
        String before = b.get("/draws/" + draw + "/verify").ok().body();
        assertThat(before).contains("still in use").doesNotContain("Confirmed");
        assertThat(b.post("/fairness/rotate", Map.of("next", "/draws/" + draw + "/verify")).header("location"))
                .endsWith("/draws/" + draw + "/verify");
        String after = b.get("/draws/" + draw + "/verify").ok().body();
        assertThat(after).contains("Confirmed: the revealed seed is the one whose hash");
        Matcher m = Pattern.compile("<pre class=\"command\"><code>java -jar tandem.jar gacha verify ([^<]+)</code>")
                .matcher(after);
        assertThat(m.find()).isTrue();
        Path pool = dir.resolve(banner.id() + "-pool.json");
        Files.write(pool, b.download("/banners/" + banner.id() + "/pool.json"));
        List<String> args = new ArrayList<>(List.of(m.group(1).strip().split(" ")));
        args.set(args.indexOf("--pool") + 1, pool.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = VerifyCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        assertThat(printed).contains("shown hash: matches");
        Draw recorded = world.draws.find(profile(b).personId(), draw).orElseThrow();
        for (Draw.Drawn c : recorded.cards()) {
            assertThat(printed).contains("pull " + (c.seq() + 1) + ": " + c.rarity() + (c.featured() ? " featured" : "")
                    + " " + c.cardId());
        }
        String fairness = b.get("/fairness").ok().body();
        assertThat(fairness).contains(recorded.serverHash()).contains("Revealed seeds");
        assertThat(b.post("/fairness/client-seed", Map.of("client_seed", "lucky-7")).status()).isEqualTo(302);
        assertThat(b.get("/fairness").ok().body()).contains("lucky-7");
        assertThat(b.post("/fairness/client-seed", Map.of("client_seed", "has space")).status()).isEqualTo(400);
    }

    @Test
    void teenModeHidesDrawsAndTheDrawIsRefused() {
        Browser teen = signUp(15);
        world.gems(profile(teen), 1600);
        String page = teen.get("/banners/" + banner.id()).ok().body();
        assertThat(page).contains("Draws are not available in teen mode.").doesNotContain("name=\"pulls\"");
        Browser.Reply refused = teen.post("/banners/" + banner.id() + "/draw", Map.of("pulls", "10", "key", "teen-k"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("Draws are not available in teen mode.");
        assertThat(world.gems.balance(profile(teen).personId()).total()).isEqualTo(1600);
    }

    @Test
    void aCheckInCountsOnceAndTheWalletShowsBalancesAndHistory() {
        Browser b = signUp(40);
        assertThat(b.post("/gems/check-in", Map.of()).header("location")).endsWith("/gems?checked=10");
        assertThat(b.post("/gems/check-in", Map.of()).header("location")).endsWith("/gems?checked=again");
        String wallet = b.get("/gems").ok().body();
        assertThat(wallet).contains("Checked in today: day 1 of your streak, +10 gems")
                .contains("Day 1 of your check-in streak").contains("+10");
        assertThat(world.gems.balance(profile(b).personId()).free()).isEqualTo(10);
    }

    @Test
    void shardsFromDuplicatesBuyAChosenCardInTheShopAndUnlockItsStory() {
        Browser b = signUp(28);
        Profile p = profile(b);
        world.gems(p, 40 * 1600);
        for (int i = 0; world.collection.shards(p.personId()) < 200; i++) {
            world.draws.draw(p.personId(), banner.id(), 10, "shop-" + i, null);
        }
        Card shopOnly = set.get(8);
        String card = b.get("/cards/" + shopOnly.id()).ok().body();
        assertThat(card).contains("Unlocks when you own this card").doesNotContain("Shop only&#39;s story.")
                .contains("Shard shop: 200 shards");
        Browser.Reply bought = b.post("/cards/" + shopOnly.id() + "/buy", Map.of("key", field(card, "key")));
        assertThat(bought.status()).as(bought.body()).isEqualTo(302);
        assertThat(b.post("/cards/" + shopOnly.id() + "/buy", Map.of("key", field(card, "key"))).status())
                .as("the same tap again").isEqualTo(302);
        assertThat(b.get("/cards/" + shopOnly.id()).ok().body()).contains("Shop only&#39;s story.")
                .contains("You own it (got 1 time)");
        assertThat(b.get("/collection").ok().body()).contains("Shop only");

        Browser stranger = signUp(28);
        world.characters.delete(creator.personId(), character.id());
        try {
            assertThat(b.get("/cards/" + shopOnly.id()).ok().body()).as("what one owns stays theirs to see")
                    .contains("Shop only&#39;s story.").contains("no longer shown");
            assertThat(stranger.get("/cards/" + shopOnly.id()).status()).isEqualTo(404);
        } finally {
            world.jdbc.sql("UPDATE characters SET deleted_at = NULL WHERE id = :id").param("id", character.id())
                    .update();
        }
    }

    @Test
    void aCreatorAddsCardsWithArtToTheirCharactersSetAndNobodyElseCan() throws Exception {
        Browser maker = signUp(33);
        Browser.Reply made = maker.post("/create", Map.of("name", "Cassiopeia", "firstMessage", "Hello.",
                "visibility", "public", "rating", "everyone"));
        String characterId = made.header("location").replaceAll(".*/c/", "");
        assertThat(maker.get("/sets/" + characterId).ok().body()).contains("Add a card");
        byte[] png = Base64.getDecoder().decode(GachaAdminApiTest.png(java.awt.Color.BLUE));
        Browser.Reply added = maker.upload("/sets/" + characterId + "/cards", Map.of("name", "Throne", "rarity", "SSR",
                "unlock_kind", "greeting", "unlock_text", "Welcome to my throne."), "art", "throne.png", png);
        assertThat(added.status()).as(added.body()).isEqualTo(302);
        String cardId = added.header("location").replaceAll(".*/cards/", "");
        Card card = world.cards.find(cardId).orElseThrow();
        assertThat(card.artId()).isNotNull();
        assertThat(card.rarity()).isEqualTo(Rarity.SSR);
        assertThat(maker.get("/cards/" + cardId).ok().body()).contains("/images/" + card.artId()).contains("Edit this card");

        Browser other = signUp(33);
        assertThat(other.get("/sets/" + characterId).ok().body()).doesNotContain("Add a card").contains("Throne");
        Browser.Reply refused = other.upload("/sets/" + characterId + "/cards", Map.of("name", "Mine", "rarity", "R",
                "unlock_kind", "story", "unlock_text", "x"), "art", "a.png", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("Only the character&#39;s creator");
    }
}
