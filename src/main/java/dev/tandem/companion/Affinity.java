package dev.tandem.companion;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bond between a person and a character. A turn earns points only when it is meaningful: at least
 * {@value #MIN_WORDS} words and {@value #MIN_LETTERS} letters, not a repeat of the person's previous turn, and
 * within a daily cap of {@value #DAILY_CAP} points per character — spamming messages does not grow it. Longer
 * turns earn a little more (1 to 3 points). Level {@code n} needs {@code 5·n·(n+1)} points (10, 30, 60, 100, …);
 * each new level publishes {@link AffinityMilestoneReached}. Thread-safe.
 */
@Service
public class Affinity {

    static final int MIN_WORDS = 3;
    static final int MIN_LETTERS = 12;
    static final int DAILY_CAP = 40;

    /** A bond: its level, points, and the points the next level needs. */
    public record Bond(int level, int points, int nextLevelAt) {

        /** How far towards the next level, 0 to 100. */
        public int percent() {
            int from = threshold(level);
            return nextLevelAt <= from ? 100 : Math.min(100, (points - from) * 100 / (nextLevelAt - from));
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Affinity(JdbcClient jdbc, TransactionTemplate tx, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
    }

    public Bond bond(String personId, String characterId) {
        return jdbc.sql("SELECT level, points FROM affinity WHERE person_id = :p AND character_id = :c")
                .param("p", personId).param("c", characterId)
                .query((rs, i) -> new Bond(rs.getInt(1), rs.getInt(2), threshold(rs.getInt(1) + 1))).optional()
                .orElse(new Bond(0, 0, threshold(1)));
    }

    /** Counts a person's turn; returns the bond after it. */
    /**
     * What a turn did to the bond.
     *
     * @param meaningful whether it counted: long enough and not a repeat of the one before (the daily cap aside)
     */
    public record Award(Bond bond, boolean meaningful) {
    }

    public Award award(String personId, String characterId, String text) {
        int earned = worth(text);
        String fingerprint = fingerprint(text);
        long now = clock.millis();
        long today = Discovery.day(now);
        int[] levels = tx.execute(s -> {
            jdbc.sql("INSERT INTO affinity (person_id, character_id, updated_at) VALUES (:p, :c, :now) "
                            + "ON CONFLICT (person_id, character_id) DO NOTHING")
                    .param("p", personId).param("c", characterId).param("now", now).update();
            // the row is locked by this update until commit: concurrent turns add up one after the other
            jdbc.sql("UPDATE affinity SET updated_at = :now WHERE person_id = :p AND character_id = :c")
                    .param("now", now).param("p", personId).param("c", characterId).update();
            var row = jdbc.sql("SELECT points, level, day, points_today, last_text FROM affinity "
                            + "WHERE person_id = :p AND character_id = :c")
                    .param("p", personId).param("c", characterId)
                    .query((rs, i) -> new Object[] {rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getInt(4),
                            rs.getString(5)})
                    .single();
            int points = (int) row[0];
            int level = (int) row[1];
            int pointsToday = (long) row[2] == today ? (int) row[3] : 0;
            boolean repeat = fingerprint.equals(row[4]);
            int gain = repeat ? 0 : Math.max(0, Math.min(earned, DAILY_CAP - pointsToday));
            int newLevel = levelOf(points + gain);
            jdbc.sql("UPDATE affinity SET points = :pts, level = :lvl, day = :d, points_today = :pt, last_text = :f "
                            + "WHERE person_id = :p AND character_id = :c")
                    .param("pts", points + gain).param("lvl", newLevel).param("d", today)
                    .param("pt", pointsToday + gain).param("f", fingerprint).param("p", personId)
                    .param("c", characterId).update();
            return new int[] {level, newLevel, repeat ? 1 : 0};
        });
        for (int l = levels[0] + 1; l <= levels[1]; l++) {
            events.publishEvent(new AffinityMilestoneReached(personId, characterId, l, now));
        }
        return new Award(bond(personId, characterId), earned > 0 && levels[2] == 0);
    }

    /** Points a turn is worth before the daily cap and the repeat rule: 0 for trivial ones. */
    static int worth(String text) {
        String t = text.strip();
        int letters = 0;
        for (int i = 0; i < t.length(); i++) {
            if (Character.isLetter(t.charAt(i))) {
                letters++;
            }
        }
        int words = t.isEmpty() ? 0 : t.split("\\s+").length;
        if (words < MIN_WORDS || letters < MIN_LETTERS) {
            return 0;
        }
        return letters >= 200 ? 3 : letters >= 60 ? 2 : 1;
    }

    static int threshold(int level) {
        return 5 * level * (level + 1);
    }

    static int levelOf(int points) {
        int level = 0;
        while (threshold(level + 1) <= points) {
            level++;
        }
        return level;
    }

    private static String fingerprint(String text) {
        String normal = text.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
