package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.billing.Gems;
import dev.tandem.companion.AffinityMilestoneReached;
import dev.tandem.companion.ChatTurnTaken;
import dev.tandem.companion.Profile;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Free gems for check-in streaks, bond levels and chat activity: each given once, within its rules. */
class RewardsTest {

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** Check-ins on the days before today, as if made then: {@code streaks[i]} on day {@code today - (n - i)}. */
    static void history(GachaWorld w, Profile p, int... streaks) {
        for (int i = 0; i < streaks.length; i++) {
            w.jdbc.sql("INSERT INTO gacha_checkins (person_id, day, streak, gems, created_at) VALUES (:p, :d, :s, 0, 0)")
                    .param("p", p.personId()).param("d", today().minusDays(streaks.length - i).toString())
                    .param("s", streaks[i]).update();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aCheckInCountsOncePerDayAndAStreakGrowsUntilADayIsMissed(String database) throws Exception {
        try (GachaWorld w = GachaWorld.on(database)) {
            Profile fresh = w.person(30);
            List<Future<Rewards.CheckIn>> taps = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 10; i++) {
                    taps.add(pool.submit(() -> w.rewards.checkIn(fresh.personId())));
                }
            }
            int given = 0;
            for (Future<Rewards.CheckIn> t : taps) {
                given += t.get().repeated() ? 0 : 1;
                assertThat(t.get().streak()).isEqualTo(1);
            }
            assertThat(given).isEqualTo(1);
            assertThat(w.gems.balance(fresh.personId())).isEqualTo(new Gems.Balance(0, 10));
            assertThat(w.rewards.status(fresh.personId()).nextGems()).isZero();

            Profile loyal = w.person(30);
            history(w, loyal, 1, 2, 3, 4, 5, 6);
            assertThat(w.rewards.status(loyal.personId()).nextGems()).isEqualTo(40);
            Rewards.CheckIn seventh = w.rewards.checkIn(loyal.personId());
            assertThat(seventh.streak()).isEqualTo(7);
            assertThat(seventh.gems()).isEqualTo(40);

            Profile looped = w.person(30);
            history(w, looped, 7);
            assertThat(w.rewards.checkIn(looped.personId())).extracting(Rewards.CheckIn::streak, Rewards.CheckIn::gems)
                    .containsExactly(8, 10L);

            Profile lapsed = w.person(30);
            history(w, lapsed, 5, 6, 7); // the last of them two days ago: yesterday was missed
            w.jdbc.sql("DELETE FROM gacha_checkins WHERE person_id = :p AND day = :d").param("p", lapsed.personId())
                    .param("d", today().minusDays(1).toString()).update();
            assertThat(w.rewards.checkIn(lapsed.personId()).streak()).as("yesterday was missed").isEqualTo(1);
            assertThat(w.gems.balance(lapsed.personId()).free()).isEqualTo(10);
            assertThat(w.gems.history(lapsed.personId(), 5)).extracting(Gems.Entry::kind).containsExactly("checkin");
            assertThat(w.ledger.verify().problems()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void bondLevelsAndChatTurnsGiveGemsOnceEachWithinTheDailyCap(String database) {
        try (GachaWorld w = GachaWorld.on(database)) {
            Profile p = w.person(30);
            String character = w.character(w.person(30), "Vega").id();
            var events = w.server.context();
            long now = System.currentTimeMillis();
            events.publishEvent(new AffinityMilestoneReached(p.personId(), character, 2, now));
            events.publishEvent(new AffinityMilestoneReached(p.personId(), character, 2, now));
            events.publishEvent(new AffinityMilestoneReached(p.personId(), character, 9, now));
            assertThat(w.gems.balance(p.personId()).free()).as("level 2 once (30), level 9 the last amount (100)")
                    .isEqualTo(130);

            for (int i = 0; i < 25; i++) {
                events.publishEvent(new ChatTurnTaken(p.personId(), character, "msg_" + i, true, now));
            }
            events.publishEvent(new ChatTurnTaken(p.personId(), character, "msg_0", true, now));
            events.publishEvent(new ChatTurnTaken(p.personId(), character, "msg_trivial", false, now));
            assertThat(w.gems.balance(p.personId()).free()).as("20 a day at most").isEqualTo(150);
            assertThat(w.rewards.status(p.personId()).chatGemsToday()).isEqualTo(20);
            events.publishEvent(new ChatTurnTaken(p.personId(), character, "msg_tomorrow", true, now + 86_400_000L));
            assertThat(w.gems.balance(p.personId()).free()).as("a new day, a new cap").isEqualTo(151);
            events.publishEvent(new ChatTurnTaken(p.personId(), character, "msg_0", true, now + 86_400_000L));
            assertThat(w.gems.balance(p.personId()).free()).as("a message counts once, whatever its day").isEqualTo(151);
            assertThat(w.ledger.verify().problems()).isEmpty();
        }
    }
}
