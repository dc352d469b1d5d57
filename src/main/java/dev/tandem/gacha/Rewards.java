package dev.tandem.gacha;

import dev.tandem.billing.Gems;
import dev.tandem.companion.AffinityMilestoneReached;
import dev.tandem.companion.ChatTurnTaken;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Free gems the app gives, each exactly once, on the ledger ({@link Gems}, free account):
 * <ul>
 *   <li><b>Daily check-in</b>: once per person per UTC day; day {@code n} of an unbroken streak gives
 *       {@link GachaProperties#checkinGemsFor(int)}; a missed day starts the streak over at day 1.</li>
 *   <li><b>Bond milestones</b>: each {@link AffinityMilestoneReached} level gives
 *       {@link GachaProperties#bondGemsFor(int)}, once per person, character and level.</li>
 *   <li><b>Chat activity</b>: each meaningful {@link ChatTurnTaken} gives {@link GachaProperties#chatGems()}, once
 *       per message, up to {@link GachaProperties#chatDailyCap()} a UTC day.</li>
 * </ul>
 * The events are handled as they are published (the chat's thread), and a failure is logged, never passed to the
 * chat; every reward is keyed, so handling one twice gives it once. Thread-safe.
 */
@Service
public class Rewards {

    private static final Logger log = LoggerFactory.getLogger(Rewards.class);

    /**
     * A check-in.
     *
     * @param day      the UTC day, {@code YYYY-MM-DD}
     * @param streak   which day of the streak it was (1 and up)
     * @param gems     the free gems it gave
     * @param repeated true when the person had checked in that day already: nothing was given now
     */
    public record CheckIn(String day, int streak, long gems, boolean repeated) {
    }

    /**
     * Where a person stands today.
     *
     * @param today         today's check-in, or null when not yet
     * @param streak        the streak's length: today's when checked in, else the one a check-in today continues
     *                      (0 when it would start over)
     * @param nextGems      what checking in today gives (0 when done)
     * @param chatGemsToday chat-activity gems given today
     * @param chatDailyCap  the most chat-activity gems a day
     */
    public record Status(@Nullable CheckIn today, int streak, long nextGems, long chatGemsToday, long chatDailyCap) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Gems gems;
    private final GachaProperties properties;
    private final Clock clock;

    Rewards(JdbcClient jdbc, TransactionTemplate tx, Gems gems, GachaProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.gems = gems;
        this.properties = properties;
        this.clock = clock;
    }

    /** Checks the person in for today (UTC): gives the streak day's gems, or answers today's check-in again. */
    public CheckIn checkIn(String personId) {
        LocalDate today = today();
        String day = today.toString();
        return tx.execute(s -> {
            long now = clock.millis();
            int inserted = jdbc.sql("INSERT INTO gacha_checkins (person_id, day, streak, gems, created_at) "
                            + "VALUES (:p, :d, 0, 0, :now) ON CONFLICT (person_id, day) DO NOTHING")
                    .param("p", personId).param("d", day).param("now", now).update();
            if (inserted == 0) {
                CheckIn done = checkIn(personId, day).orElseThrow();
                return new CheckIn(done.day(), done.streak(), done.gems(), true);
            }
            int streak = checkIn(personId, today.minusDays(1).toString()).map(CheckIn::streak).orElse(0) + 1;
            long amount = properties.checkinGemsFor(streak);
            jdbc.sql("UPDATE gacha_checkins SET streak = :s, gems = :g WHERE person_id = :p AND day = :d")
                    .param("s", streak).param("g", amount).param("p", personId).param("d", day).update();
            if (amount > 0) {
                gems.credit(personId, Gems.Kind.FREE, amount, "checkin", "checkin:" + personId + ":" + day, day,
                        "Day " + streak + " of your check-in streak");
            }
            return new CheckIn(day, streak, amount, false);
        });
    }

    /** The person's check-in and chat-activity standing today. */
    public Status status(String personId) {
        LocalDate today = today();
        Optional<CheckIn> done = checkIn(personId, today.toString());
        int continued = checkIn(personId, today.minusDays(1).toString()).map(CheckIn::streak).orElse(0);
        long chat = jdbc.sql("SELECT gems FROM gacha_activity WHERE person_id = :p AND day = :d")
                .param("p", personId).param("d", today.toString()).query(Long.class).optional().orElse(0L);
        return new Status(done.orElse(null), done.map(CheckIn::streak).orElse(continued),
                done.isPresent() ? 0 : properties.checkinGemsFor(continued + 1), chat, properties.chatDailyCap());
    }

    /** Gives a bond level's gems once; true when given now. */
    public boolean bondReached(String personId, String characterId, int level) {
        long amount = properties.bondGemsFor(Math.max(1, level));
        if (amount <= 0) {
            return false;
        }
        return !gems.credit(personId, Gems.Kind.FREE, amount, "bond", "bond:" + personId + ":" + characterId + ":"
                + level, characterId, "Bond level " + level).repeated();
    }

    /** Gives a chat turn's gems once per message, within the day's cap; true when given now. */
    public boolean chatTurn(String personId, String characterId, String messageId, boolean meaningful, long at) {
        if (!meaningful || properties.chatGems() <= 0) {
            return false;
        }
        String day = LocalDate.ofInstant(Instant.ofEpochMilli(at), ZoneOffset.UTC).toString();
        String key = "chat:" + messageId;
        return Boolean.TRUE.equals(tx.execute(s -> {
            int locked = lockActivity(personId, day);
            if (locked == 0) {
                jdbc.sql("INSERT INTO gacha_activity (person_id, day, gems, updated_at) VALUES (:p, :d, 0, :now) "
                        + "ON CONFLICT (person_id, day) DO NOTHING")
                        .param("p", personId).param("d", day).param("now", clock.millis()).update();
                lockActivity(personId, day);
            }
            if (gems.find(personId, key).isPresent()) {
                return false;
            }
            long given = jdbc.sql("SELECT gems FROM gacha_activity WHERE person_id = :p AND day = :d")
                    .param("p", personId).param("d", day).query(Long.class).single();
            long amount = Math.min(properties.chatGems(), properties.chatDailyCap() - given);
            if (amount <= 0) {
                return false;
            }
            gems.credit(personId, Gems.Kind.FREE, amount, "chat", key, characterId, "Chat activity");
            jdbc.sql("UPDATE gacha_activity SET gems = gems + :g, updated_at = :now WHERE person_id = :p AND day = :d")
                    .param("g", amount).param("now", clock.millis()).param("p", personId).param("d", day).update();
            return true;
        }));
    }

    @EventListener
    void on(AffinityMilestoneReached e) {
        try {
            bondReached(e.personId(), e.characterId(), e.level());
        } catch (RuntimeException failed) {
            log.warn("bond reward for {} (character {}, level {}) failed: {}", e.personId(), e.characterId(),
                    e.level(), failed.toString());
        }
    }

    @EventListener
    void on(ChatTurnTaken e) {
        try {
            chatTurn(e.personId(), e.characterId(), e.messageId(), e.meaningful(), e.at());
        } catch (RuntimeException failed) {
            log.warn("chat reward for {} (message {}) failed: {}", e.personId(), e.messageId(), failed.toString());
        }
    }

    private int lockActivity(String personId, String day) {
        return jdbc.sql("UPDATE gacha_activity SET gems = gems WHERE person_id = :p AND day = :d")
                .param("p", personId).param("d", day).update();
    }

    private Optional<CheckIn> checkIn(String personId, String day) {
        return jdbc.sql("SELECT day, streak, gems FROM gacha_checkins WHERE person_id = :p AND day = :d")
                .param("p", personId).param("d", day)
                .query((rs, i) -> new CheckIn(rs.getString(1), rs.getInt(2), rs.getLong(3), false)).optional();
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
