package dev.tandem.companion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

/** The bond grows with meaningful turns only, within a daily cap, and each level reached is published once. */
class AffinityTest {

    static TandemServer server;
    static Affinity affinity;
    static final List<AffinityMilestoneReached> milestones = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of());
        affinity = server.context().getBean(Affinity.class);
        server.context().addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
            if (e.getPayload() instanceof AffinityMilestoneReached m) {
                milestones.add(m);
            }
        });
    }

    @AfterAll
    static void stop() {
        Closing.all(server);
    }

    /** Affinity rows name a real person and character (foreign keys): make both. */
    static String[] personAndCharacter(String handle) {
        Accounts accounts = server.context().getBean(Accounts.class);
        Profile p = accounts.signUp(handle + "@example.com", "Bo", "correct horse battery", "1990-05-05", handle);
        CharacterView c = server.context().getBean(Characters.class).create(p.personId(), new CharacterDraft("Mira",
                "", "A ranger.", "", "", "Hello!", List.of(), "", "", "", "", List.of(), "private", "everyone"), null);
        return new String[] {p.personId(), c.id()};
    }

    @Test
    void trivialAndRepeatedTurnsEarnNothing() {
        String[] pc = personAndCharacter("bond_spam");
        assertThat(affinity.award(pc[0], pc[1], "ok").bond().points()).isZero();
        assertThat(affinity.award(pc[0], pc[1], "lol lol lol").bond().points()).isZero();
        int once = affinity.award(pc[0], pc[1], "I walked by the lake this morning and saw a heron.").bond().points();
        assertThat(once).isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            assertThat(affinity.award(pc[0], pc[1], "I walked by the lake this morning and saw a heron!")
                    .meaningful()).as("a repeat does not count (no chat reward either)").isFalse();
        }
        assertThat(affinity.award(pc[0], pc[1], "Then I went home and made tea.").meaningful()).isTrue();
        assertThat(affinity.award(pc[0], pc[1], "ok").meaningful()).isFalse();
        assertThat(affinity.bond(pc[0], pc[1]).points()).as("the same turn again, punctuation aside, then one more")
                .isEqualTo(2);
    }

    @Test
    void aDayEarnsAtMostTheCapAndEachLevelIsPublishedOnce() {
        String[] pc = personAndCharacter("bond_cap");
        for (int i = 0; i < 60; i++) {
            affinity.award(pc[0], pc[1], "Today I want to tell you about the garden, story number " + i
                    + ", with the roses and the old apple tree by the wall that my grandmother planted.");
        }
        Affinity.Bond bond = affinity.bond(pc[0], pc[1]);
        assertThat(bond.points()).isEqualTo(Affinity.DAILY_CAP);
        assertThat(bond.level()).isEqualTo(Affinity.levelOf(Affinity.DAILY_CAP)).isEqualTo(2);
        assertThat(milestones).filteredOn(m -> m.personId().equals(pc[0]))
                .extracting(AffinityMilestoneReached::level).containsExactly(1, 2);
    }
}
