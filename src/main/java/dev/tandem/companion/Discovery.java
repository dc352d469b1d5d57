package dev.tandem.companion;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Finding characters: trending (messages people sent them in the last seven days), new, "for you" (public
 * characters carrying the tags of the characters a person chats with most, that they have not chatted with yet),
 * full-text search over names, taglines, descriptions, tags and creators, tag pages and creator pages. Only public
 * characters are listed; mature ones are left out in teen mode. Thread-safe.
 */
@Service
public class Discovery {

    static final Duration TRENDING_WINDOW = Duration.ofDays(7);
    private static final String LISTED = "c.deleted_at IS NULL AND c.visibility = 'public' ";

    /** A creator page: the person, their public characters, their followers. */
    public record Creator(Profile profile, List<CharacterView> characters, int followers, boolean followed) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Accounts accounts;

    Discovery(JdbcClient jdbc, Clock clock, Accounts accounts) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.accounts = accounts;
    }

    public List<CharacterView> trending(Viewer viewer, int limit) {
        long since = day(clock.millis() - TRENDING_WINDOW.toMillis());
        return jdbc.sql("SELECT " + Characters.COLUMNS + Characters.FROM
                        + "LEFT JOIN (SELECT character_id, SUM(messages) AS n FROM character_activity WHERE day >= :since "
                        + "GROUP BY character_id) a ON a.character_id = c.id WHERE " + LISTED + rated(viewer)
                        + "ORDER BY COALESCE(a.n, 0) DESC, c.like_count DESC, c.created_at DESC LIMIT :limit")
                .param("since", since).param("limit", limit(limit)).query((rs, i) -> Characters.view(rs)).list();
    }

    public List<CharacterView> newest(Viewer viewer, int limit) {
        return jdbc.sql("SELECT " + Characters.COLUMNS + Characters.FROM + "WHERE " + LISTED + rated(viewer)
                        + "ORDER BY c.created_at DESC, c.id LIMIT :limit")
                .param("limit", limit(limit)).query((rs, i) -> Characters.view(rs)).list();
    }

    /** Characters with the tags the person chats with most (weighted by their messages); trending when none. */
    public List<CharacterView> forYou(Viewer viewer, int limit) {
        if (viewer.personId() == null) {
            return trending(viewer, limit);
        }
        List<String> tags = jdbc.sql("""
                        SELECT t.tag, COUNT(*) AS n FROM chat_messages m JOIN chats h ON h.id = m.chat_id
                        JOIN character_tags t ON t.character_id = h.character_id
                        WHERE h.person_id = :p AND m.role = 'user' GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT 8""")
                .param("p", viewer.personId()).query((rs, i) -> rs.getString(1)).list();
        if (tags.isEmpty()) {
            return trending(viewer, limit);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < tags.size(); i++) {
            in.append(i == 0 ? "" : ", ").append(":t").append(i);
            params.put("t" + i, tags.get(i));
        }
        params.put("p", viewer.personId());
        params.put("limit", limit(limit));
        List<CharacterView> picks = jdbc.sql("SELECT " + Characters.COLUMNS + Characters.FROM
                        + "JOIN (SELECT character_id, COUNT(*) AS n FROM character_tags WHERE tag IN (" + in + ") "
                        + "GROUP BY character_id) m ON m.character_id = c.id WHERE " + LISTED + rated(viewer)
                        + "AND c.creator_id <> :p AND NOT EXISTS (SELECT 1 FROM chats h WHERE h.person_id = :p "
                        + "AND h.character_id = c.id) ORDER BY m.n DESC, c.like_count DESC, c.created_at DESC "
                        + "LIMIT :limit")
                .params(params).query((rs, i) -> Characters.view(rs)).list();
        return picks.isEmpty() ? trending(viewer, limit) : picks;
    }

    /**
     * Characters whose name, tagline, description, tags or creator contain every word of {@code query} (case
     * insensitive); a name match ranks first, then likes.
     */
    public List<CharacterView> search(Viewer viewer, String query, int limit) {
        List<String> words = new ArrayList<>();
        for (String w : query.toLowerCase(Locale.ROOT).strip().split("\\s+")) {
            if (!w.isEmpty() && words.size() < 8) {
                words.add(w.length() > 60 ? w.substring(0, 60) : w);
            }
        }
        if (words.isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            where.append("AND c.search_text LIKE :w").append(i).append(" ESCAPE '\\' ");
            params.put("w" + i, "%" + escapeLike(words.get(i)) + "%");
        }
        params.put("first", escapeLike(words.get(0)) + "%");
        params.put("limit", limit(limit));
        return jdbc.sql("SELECT " + Characters.COLUMNS + Characters.FROM + "WHERE " + LISTED + rated(viewer) + where
                        + "ORDER BY CASE WHEN LOWER(c.name) LIKE :first ESCAPE '\\' THEN 0 ELSE 1 END, "
                        + "c.like_count DESC, c.created_at DESC LIMIT :limit")
                .params(params).query((rs, i) -> Characters.view(rs)).list();
    }

    public List<CharacterView> tagged(Viewer viewer, String tag, int limit) {
        return jdbc.sql("SELECT " + Characters.COLUMNS + Characters.FROM
                        + "JOIN character_tags t ON t.character_id = c.id AND t.tag = :tag WHERE " + LISTED
                        + rated(viewer) + "ORDER BY c.like_count DESC, c.created_at DESC LIMIT :limit")
                .param("tag", tag.strip().toLowerCase(Locale.ROOT)).param("limit", limit(limit))
                .query((rs, i) -> Characters.view(rs)).list();
    }

    /** The most used tags of public characters. */
    public List<String> popularTags(int limit) {
        return jdbc.sql("SELECT t.tag FROM character_tags t JOIN characters c ON c.id = t.character_id WHERE "
                        + LISTED + "GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag LIMIT :limit")
                .param("limit", limit(limit)).query(String.class).list();
    }

    public Creator creator(Viewer viewer, String handle) {
        Profile profile = accounts.byHandle(handle).orElseThrow(() -> CompanionException.notFound("@" + handle));
        List<CharacterView> characters = jdbc.sql("SELECT " + Characters.COLUMNS + Characters.FROM
                        + "WHERE " + LISTED + rated(viewer) + "AND c.creator_id = :p ORDER BY c.created_at DESC")
                .param("p", profile.personId()).query((rs, i) -> Characters.view(rs)).list();
        int followers = jdbc.sql("SELECT COUNT(*) FROM creator_follows WHERE creator_id = :p")
                .param("p", profile.personId()).query(Integer.class).single();
        boolean followed = viewer.personId() != null && jdbc.sql("SELECT COUNT(*) FROM creator_follows WHERE "
                        + "follower_id = :f AND creator_id = :p").param("f", viewer.personId())
                .param("p", profile.personId()).query(Integer.class).single() > 0;
        return new Creator(profile, characters, followers, followed);
    }

    /** Follows (or stops following) a creator; idempotent. */
    public void follow(Viewer viewer, String handle, boolean follow) {
        String person = Characters.signedIn(viewer);
        Profile creator = accounts.byHandle(handle).orElseThrow(() -> CompanionException.notFound("@" + handle));
        if (creator.personId().equals(person)) {
            throw CompanionException.invalid("handle", "You cannot follow yourself.");
        }
        if (follow) {
            jdbc.sql("INSERT INTO creator_follows (follower_id, creator_id, created_at) VALUES (:f, :c, :now) "
                            + "ON CONFLICT (follower_id, creator_id) DO NOTHING")
                    .param("f", person).param("c", creator.personId()).param("now", clock.millis()).update();
        } else {
            jdbc.sql("DELETE FROM creator_follows WHERE follower_id = :f AND creator_id = :c").param("f", person)
                    .param("c", creator.personId()).update();
        }
    }

    /** New public characters of the creators a person follows. */
    public List<CharacterView> following(Viewer viewer, int limit) {
        if (viewer.personId() == null) {
            return List.of();
        }
        return jdbc.sql("SELECT " + Characters.COLUMNS + Characters.FROM
                        + "JOIN creator_follows w ON w.creator_id = c.creator_id AND w.follower_id = :p WHERE "
                        + LISTED + rated(viewer) + "ORDER BY c.created_at DESC LIMIT :limit")
                .param("p", viewer.personId()).param("limit", limit(limit)).query((rs, i) -> Characters.view(rs))
                .list();
    }

    /** Counts a person's message to a character for trending. */
    void countMessage(String characterId) {
        jdbc.sql("INSERT INTO character_activity (character_id, day, messages) VALUES (:c, :d, 1) "
                        + "ON CONFLICT (character_id, day) DO UPDATE SET messages = character_activity.messages + 1")
                .param("c", characterId).param("d", day(clock.millis())).update();
    }

    static long day(long epochMillis) {
        return epochMillis / 86_400_000L;
    }

    private static String rated(Viewer viewer) {
        return viewer.teen() ? "AND c.rating <> 'mature' " : "";
    }

    private static int limit(int limit) {
        return Math.max(1, Math.min(limit, 100));
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
