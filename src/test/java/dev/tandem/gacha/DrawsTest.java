package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Profile;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Draws on a real database: gems and cards move together, once per key, never overdrawn, and every record adds up
 * (SQLite and PostgreSQL).
 */
class DrawsTest {

    interface Body {
        void run(GachaWorld w, Profile creator, List<Card> set, Banner banner) throws Exception;
    }

    static void on(String database, Body body) throws Exception {
        try (GachaWorld w = GachaWorld.on(database)) {
            Profile creator = w.person(30);
            CharacterView c = w.character(creator, "Aster");
            List<Card> set = w.set(creator, c);
            body.run(w, creator, set, w.banner(set, "Starfall"));
            try (Connection conn = w.server.context().getBean(DataSource.class).getConnection()) {
                assertThat(GachaConsistency.problems(conn)).isEmpty();
            }
            assertThat(w.ledger.verify().problems()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void fiveHundredParallelTenPullsOnOneWalletNeverOverdraw(String database) throws Exception {
        on(database, (w, creator, set, banner) -> {
            Profile p = w.person(25);
            w.gems(p, 300 * 1600);
            AtomicInteger drawn = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<Future<?>> all = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 500; i++) {
                    String key = "par-" + i;
                    all.add(pool.submit(() -> {
                        try {
                            w.draws.draw(p.personId(), banner.id(), 10, key, null);
                            drawn.incrementAndGet();
                        } catch (GachaException e) {
                            assertThat(e.reason()).as(e.getMessage()).isEqualTo(GachaException.Reason.INSUFFICIENT);
                            refused.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> f : all) {
                    f.get();
                }
            }
            assertThat(drawn.get()).isEqualTo(300);
            assertThat(refused.get()).isEqualTo(200);
            assertThat(w.gems.balance(p.personId()).total()).isZero();
            assertThat(w.draws.count(p.personId())).isEqualTo(300);
            Set<Long> nonces = new HashSet<>();
            Draw before = null;
            for (int page = 0; page < 3; page++) {
                List<Draw> draws = w.draws.history(p.personId(), before, 100);
                draws.forEach(d -> nonces.add(d.nonce()));
                draws.forEach(d -> assertThat(d.cards()).hasSize(10)
                        .anyMatch(c -> c.rarity().atLeast(Rarity.SR)));
                before = draws.getLast();
            }
            assertThat(nonces).as("one nonce per draw, 0 to 299").hasSize(300).allMatch(n -> n >= 0 && n < 300);
            assertThat(w.collection.owned(p.personId()).stream().mapToInt(CardCollection.Owned::copies).sum())
                    .isEqualTo(3000);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDoubleTapIsOneDrawAndAKeyCannotBeReusedForAnotherDraw(String database) throws Exception {
        on(database, (w, creator, set, banner) -> {
            Profile p = w.person(25);
            w.gems(p, 5000);
            List<Future<Draw>> taps = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 20; i++) {
                    taps.add(pool.submit(() -> w.draws.draw(p.personId(), banner.id(), 10, "tap-1", null)));
                }
            }
            Set<String> ids = new HashSet<>();
            int fresh = 0;
            for (Future<Draw> f : taps) {
                ids.add(f.get().id());
                fresh += f.get().repeated() ? 0 : 1;
            }
            assertThat(ids).hasSize(1);
            assertThat(fresh).isEqualTo(1);
            assertThat(w.gems.balance(p.personId()).total()).isEqualTo(5000 - 1600);
            assertThat(w.draws.count(p.personId())).isEqualTo(1);
            assertThatThrownBy(() -> w.draws.draw(p.personId(), banner.id(), 1, "tap-1", null))
                    .isInstanceOf(GachaException.class).hasMessageContaining("used for another draw");

            Profile last = w.person(25);
            w.gems(last, 1600);
            Draw spentAll = w.draws.draw(last.personId(), banner.id(), 10, "last-gems", null);
            assertThat(w.draws.draw(last.personId(), banner.id(), 10, "last-gems", null))
                    .as("a second tap after the first took the last gems is the first draw, not a refusal")
                    .extracting(Draw::id, Draw::repeated).containsExactly(spentAll.id(), true);
            w.banners.end(banner.id());
            assertThat(w.draws.draw(last.personId(), banner.id(), 10, "last-gems", null).id())
                    .as("and so after the banner ended").isEqualTo(spentAll.id());
            assertThatThrownBy(() -> w.draws.draw(p.personId(), banner.id(), 10, "tap-2", null))
                    .hasMessage("This banner has ended.");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void duplicatesGiveShardsAndTheShopSellsAChosenCardOnce(String database) throws Exception {
        on(database, (w, creator, set, banner) -> {
            Profile p = w.person(25);
            w.gems(p, 40 * 1600);
            Card shopOnly = set.get(8);
            int draws = 0;
            while (w.collection.shards(p.personId()) < 200) {
                Draw d = w.draws.draw(p.personId(), banner.id(), 10, "dup-" + draws++, null);
                long expected = d.cards().stream().mapToLong(c -> c.duplicate() ? switch (c.rarity()) {
                    case R -> 1;
                    case SR -> 5;
                    case SSR -> 20;
                    case UR -> 50;
                } : 0).sum();
                assertThat(d.shards()).isEqualTo(expected);
                assertThat(draws).as("shards come in at least 1 per duplicate").isLessThan(40);
            }
            long shards = w.collection.shards(p.personId());
            assertThat(w.collection.copies(p.personId(), shopOnly.id())).isZero();
            CardCollection.Purchase bought = w.collection.buy(p.personId(), shopOnly.id(), "buy-1");
            assertThat(bought.shards()).isEqualTo(200);
            assertThat(w.collection.buy(p.personId(), shopOnly.id(), "buy-1").repeated()).isTrue();
            assertThat(w.collection.shards(p.personId())).isEqualTo(shards - 200);
            assertThat(w.collection.copies(p.personId(), shopOnly.id())).isEqualTo(1);
            assertThatThrownBy(() -> w.collection.buy(p.personId(), shopOnly.id(), "buy-2"))
                    .hasMessageContaining("own Shop only already");
            Profile poor = w.person(25);
            assertThatThrownBy(() -> w.collection.buy(poor.personId(), shopOnly.id(), "buy-3"))
                    .isInstanceOf(GachaException.class).hasMessageContaining("costs 200 shards; you have 0");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void teenModeRefusesDrawsAndTakesNoGems(String database) throws Exception {
        on(database, (w, creator, set, banner) -> {
            Profile teen = w.person(15);
            w.gems(teen, 1600);
            assertThatThrownBy(() -> w.draws.draw(teen.personId(), banner.id(), 10, "teen-1", null))
                    .isInstanceOf(GachaException.class).hasMessage("Draws are not available in teen mode.")
                    .extracting(e -> ((GachaException) e).reason()).isEqualTo(GachaException.Reason.FORBIDDEN);
            assertThat(w.gems.balance(teen.personId()).total()).isEqualTo(1600);
            assertThat(w.draws.count(teen.personId())).isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void aPastDrawRecomputesFromItsRevealedSeedAndPityCarriesAcrossBannersOfAType(String database) throws Exception {
        on(database, (w, creator, set, banner) -> {
            Profile p = w.person(25);
            w.gems(p, 10_000);
            String shown = w.fairness.current(p.personId()).serverHash();
            Draw first = w.draws.draw(p.personId(), banner.id(), 10, "v-1", shown);
            assertThat(first.serverHash()).isEqualTo(shown);
            assertThat(w.draws.verify(p.personId(), first.id()).seed()).as("secret while in use").isNull();

            PityState afterFirst = w.draws.pity(p.personId(), "character");
            assertThat(afterFirst).isNotEqualTo(PityState.FRESH);
            Banner second = w.banner(set, "Moonrise");
            Draw next = w.draws.draw(p.personId(), second.id(), 1, "v-2", shown);
            assertThat(next.pityBefore()).as("same banner type: the pity carries over").isEqualTo(afterFirst);
            assertThat(next.nonce()).isEqualTo(1);

            w.fairness.setClientSeed(p.personId(), "my-own-seed!");
            assertThatThrownBy(() -> w.draws.draw(p.personId(), banner.id(), 1, "v-3", shown))
                    .as("the page showed a seed that was rotated since").hasMessageContaining("rotated");
            Draws.Check check = w.draws.verify(p.personId(), first.id());
            assertThat(check.confirmed()).isTrue();
            assertThat(check.recomputed()).isEqualTo(first.cards().stream().map(Draw.Drawn::cardId).toList());
            assertThat(check.command()).contains("--server-seed " + check.seed().serverSeed())
                    .contains("--nonce 0").contains("--rules genshin").contains("--pity 0,0,false,false")
                    .contains("--count 10").contains("--shown-hash " + shown);
            assertThat(w.fairness.current(p.personId()).clientSeed()).isEqualTo("my-own-seed!");
            assertThat(w.fairness.current(p.personId()).nextNonce()).isZero();
            Draw third = w.draws.draw(p.personId(), banner.id(), 1, "v-4", null);
            assertThat(third.clientSeed()).isEqualTo("my-own-seed!");
            assertThat(Draws.command(third, banner, "00".repeat(32))).contains("--client-seed 'my-own-seed!'");
        });
    }
}
