package dev.tandem.companion;

import dev.tandem.identity.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Characters: made in the editor or imported from a card file, edited (every save is a version), published,
 * exported, liked. The card is stored whole as Character Card V3, so what a card carried beyond the editor's
 * fields (extensions, lorebook, assets) survives edits and exports. Visibility: private characters are seen by
 * their creator only, unlisted ones by anyone with the link, public ones are listed; mature ones are hidden in
 * teen mode. Thread-safe.
 *
 * @throws CompanionException from every method, naming the field at fault
 */
@Service
public class Characters {

    static final Set<String> VISIBILITIES = Set.of("public", "unlisted", "private");
    static final Set<String> RATINGS = Set.of("everyone", "teen", "mature");
    static final String COLUMNS = "c.id, c.creator_id, COALESCE(f.handle, 'deleted'), p.display_name, c.name, "
            + "c.tagline, c.visibility, c.rating, c.avatar_id, c.version, c.like_count, c.chat_count, c.created_at, "
            + "c.updated_at, c.card_json";
    static final String FROM = " FROM characters c JOIN people p ON p.id = c.creator_id "
            + "LEFT JOIN companion_profiles f ON f.person_id = c.creator_id ";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Images images;
    private final Clock clock;
    private final JsonMapper json;

    Characters(JdbcClient jdbc, TransactionTemplate tx, Images images, Clock clock, JsonMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.images = images;
        this.clock = clock;
        this.json = json;
    }

    /** Makes a character from the editor's fields; {@code avatar}, when given, is checked and scaled first. */
    public CharacterView create(String creatorId, CharacterDraft draft, byte @Nullable [] avatar) {
        ObjectNode data = json.createObjectNode();
        fill(data, draft);
        String avatarId = avatar == null || avatar.length == 0 ? null : images.store(creatorId, avatar).id();
        return insert(creatorId, new CharacterCard(3, data, null), draft.visibility(), draft.rating(),
                draft.tagline(), avatarId);
    }

    /**
     * Imports a card file: JSON (V1, V2, V3), PNG ({@code ccv3}/{@code chara} chunks) or CHARX. Its picture becomes
     * the avatar; everything it carries is kept.
     */
    public CharacterView importCard(String creatorId, byte[] file, String visibility, String rating) {
        if (file.length == 0) {
            throw CompanionException.invalid("file", "Choose a card file to import.");
        }
        CharacterCard card;
        try {
            card = CharacterCards.read(file);
        } catch (CardException e) {
            throw CompanionException.invalid("file", "This card cannot be imported: " + e.getMessage());
        }
        if (card.name().isBlank()) {
            throw CompanionException.invalid("file", "This card cannot be imported: it has no name.");
        }
        String avatarId = null;
        if (card.image() != null) {
            avatarId = images.store(creatorId, card.image()).id();
        }
        String notes = card.data().path("creator_notes").asString("").strip();
        String tagline = firstLine(notes.isEmpty() ? card.description() : notes, 140);
        ObjectNode data = card.data().deepCopy();
        return insert(creatorId, new CharacterCard(3, data, null), visibility, rating, tagline, avatarId);
    }

    /** Saves a new version of the creator's character. */
    public CharacterView update(String creatorId, String id, CharacterDraft draft, byte @Nullable [] avatar) {
        CharacterView current = owned(creatorId, id);
        ObjectNode data = current.card().data().deepCopy();
        fill(data, draft);
        String avatarId = avatar == null || avatar.length == 0 ? current.avatarId()
                : images.store(creatorId, avatar).id();
        String visibility = choice("visibility", draft.visibility(), VISIBILITIES);
        String rating = choice("rating", draft.rating(), RATINGS);
        return save(current, data, draft.tagline(), visibility, rating, avatarId);
    }

    /**
     * Makes an earlier version's card the character again, as a new version (nothing is lost: the versions in
     * between stay). Its visibility, rating, tagline and picture stay as they are now.
     */
    public CharacterView restore(String creatorId, String id, int version) {
        CharacterView current = owned(creatorId, id);
        if (version == current.version()) {
            throw CompanionException.invalid("version", "Version " + version + " is the character as it is now.");
        }
        ObjectNode data = version(creatorId, id, version).data().deepCopy();
        return save(current, data, current.tagline(), current.visibility(), current.rating(), current.avatarId());
    }

    /** Writes the character's next version. */
    private CharacterView save(CharacterView current, ObjectNode data, String tagline, String visibility,
            String rating, @Nullable String avatarId) {
        String id = current.id();
        String cardJson = cardJson(data);
        long now = clock.millis();
        tx.executeWithoutResult(s -> {
            // write first (the version moves on in the same statement), then read what it became
            jdbc.sql("UPDATE characters SET name = :n, tagline = :t, search_text = :s, visibility = :v, rating = :r, "
                            + "avatar_id = :a, card_json = :c, version = version + 1, updated_at = :now WHERE id = :id")
                    .param("n", data.path("name").asString()).param("t", tagline(tagline))
                    .param("s", searchText(data, current.creatorHandle(), tagline)).param("v", visibility)
                    .param("r", rating).param("a", avatarId).param("c", cardJson)
                    .param("now", now).param("id", id).update();
            int version = jdbc.sql("SELECT version FROM characters WHERE id = :id").param("id", id)
                    .query(Integer.class).single();
            jdbc.sql("INSERT INTO character_versions (character_id, version, card_json, created_at) "
                            + "VALUES (:id, :v, :c, :now)")
                    .param("id", id).param("v", version).param("c", cardJson).param("now", now).update();
            replaceTags(id, new CharacterCard(3, data, null).tags());
        });
        return find(new Viewer(current.creatorId(), false), id);
    }

    /**
     * The character as {@code viewer} may see it.
     *
     * @throws CompanionException NOT_FOUND when it does not exist, was deleted or is someone else's private one;
     *                            FORBIDDEN for a mature character in teen mode
     */
    public CharacterView find(Viewer viewer, String id) {
        CharacterView c = load(id).orElseThrow(() -> CompanionException.notFound("The character"));
        if (c.visibility().equals("private") && !viewer.is(c.creatorId())) {
            throw CompanionException.notFound("The character");
        }
        if (c.rating().equals("mature") && viewer.teen() && !viewer.is(c.creatorId())) {
            throw new CompanionException(CompanionException.Reason.FORBIDDEN,
                    "This character is rated mature and is not shown in teen mode.", null);
        }
        return c;
    }

    /** The creator's own characters, newest first, whatever their visibility. */
    public List<CharacterView> ownedBy(String creatorId) {
        return jdbc.sql("SELECT " + COLUMNS + FROM + "WHERE c.creator_id = :p AND c.deleted_at IS NULL "
                        + "ORDER BY c.updated_at DESC").param("p", creatorId).query((rs, i) -> view(rs)).list();
    }

    /** Saved versions, newest first: (version, saved at). */
    public List<long[]> versions(String creatorId, String id) {
        owned(creatorId, id);
        return jdbc.sql("SELECT version, created_at FROM character_versions WHERE character_id = :id "
                        + "ORDER BY version DESC")
                .param("id", id).query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
    }

    /** The card of one saved version. */
    public CharacterCard version(String creatorId, String id, int version) {
        owned(creatorId, id);
        String card = jdbc.sql("SELECT card_json FROM character_versions WHERE character_id = :id AND version = :v")
                .param("id", id).param("v", version).query(String.class).optional()
                .orElseThrow(() -> CompanionException.notFound("Version " + version));
        return CharacterCards.read(card.getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes the creator's character: it disappears everywhere; chats with it become read-only. */
    public void delete(String creatorId, String id) {
        owned(creatorId, id);
        jdbc.sql("UPDATE characters SET deleted_at = :now WHERE id = :id").param("now", clock.millis())
                .param("id", id).update();
    }

    /**
     * The character as a card file: {@code json} (V3), {@code json-v2}, {@code png} (picture with {@code chara} and
     * {@code ccv3} chunks) or {@code charx}.
     */
    public byte[] export(Viewer viewer, String id, String format) {
        CharacterView c = find(viewer, id);
        byte[] picture = c.avatarId() == null ? null : images.find(c.avatarId()).map(Images.Image::bytes).orElse(null);
        CharacterCard card = new CharacterCard(3, c.card().data(), picture);
        return switch (format) {
            case "json" -> CharacterCards.toV3Json(card);
            case "json-v2" -> CharacterCards.toV2Json(card);
            case "png" -> CharacterCards.toPng(card, picture != null ? picture : Placeholder.png(c.name()));
            case "charx" -> CharacterCards.toCharx(card);
            default -> throw CompanionException.invalid("format", "Export as json, json-v2, png or charx.");
        };
    }

    /** Likes (or un-likes) a character; idempotent. Returns the like count. */
    public int like(Viewer viewer, String id, boolean liked) {
        String person = signedIn(viewer);
        find(viewer, id);
        return tx.execute(s -> {
            if (liked) {
                jdbc.sql("INSERT INTO character_likes (person_id, character_id, created_at) VALUES (:p, :c, :now) "
                                + "ON CONFLICT (person_id, character_id) DO NOTHING")
                        .param("p", person).param("c", id).param("now", clock.millis()).update();
            } else {
                jdbc.sql("DELETE FROM character_likes WHERE person_id = :p AND character_id = :c")
                        .param("p", person).param("c", id).update();
            }
            jdbc.sql("UPDATE characters SET like_count = (SELECT COUNT(*) FROM character_likes WHERE "
                    + "character_id = :c) WHERE id = :c").param("c", id).update();
            return jdbc.sql("SELECT like_count FROM characters WHERE id = :c").param("c", id).query(Integer.class)
                    .single();
        });
    }

    public boolean likes(String personId, String id) {
        return jdbc.sql("SELECT COUNT(*) FROM character_likes WHERE person_id = :p AND character_id = :c")
                .param("p", personId).param("c", id).query(Long.class).single() > 0;
    }

    // ---- storage

    Optional<CharacterView> load(String id) {
        return jdbc.sql("SELECT " + COLUMNS + FROM + "WHERE c.id = :id AND c.deleted_at IS NULL").param("id", id)
                .query((rs, i) -> view(rs)).optional();
    }

    private CharacterView owned(String creatorId, String id) {
        CharacterView c = load(id).orElseThrow(() -> CompanionException.notFound("The character"));
        if (!c.creatorId().equals(creatorId)) {
            throw new CompanionException(CompanionException.Reason.FORBIDDEN, "Only its creator can change this "
                    + "character.", null);
        }
        return c;
    }

    static CharacterView view(java.sql.ResultSet rs) throws java.sql.SQLException {
        CharacterCard card = CharacterCards.read(rs.getString(15).getBytes(StandardCharsets.UTF_8));
        return new CharacterView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10), rs.getInt(11),
                rs.getInt(12), rs.getLong(13), rs.getLong(14), card);
    }

    private CharacterView insert(String creatorId, CharacterCard card, String visibility, String rating,
            String tagline, @Nullable String avatarId) {
        String v = choice("visibility", visibility, VISIBILITIES);
        String r = choice("rating", rating, RATINGS);
        String handle = jdbc.sql("SELECT handle FROM companion_profiles WHERE person_id = :p").param("p", creatorId)
                .query(String.class).optional()
                .orElseThrow(() -> new CompanionException(CompanionException.Reason.UNAUTHENTICATED,
                        "Sign up to the app first.", null));
        if (card.data().path("creator").asString("").isBlank()) {
            card.data().put("creator", handle);
        }
        String id = Ids.next("chr");
        String cardJson = cardJson(card.data());
        long now = clock.millis();
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO characters (id, creator_id, name, tagline, search_text, visibility, rating, "
                            + "avatar_id, card_json, version, created_at, updated_at) "
                            + "VALUES (:id, :p, :n, :t, :s, :v, :r, :a, :c, 1, :now, :now)")
                    .param("id", id).param("p", creatorId).param("n", limit("name", card.name().strip(), 200, true))
                    .param("t", tagline(tagline)).param("s", searchText(card.data(), handle, tagline))
                    .param("v", v).param("r", r).param("a", avatarId).param("c", cardJson).param("now", now).update();
            jdbc.sql("INSERT INTO character_versions (character_id, version, card_json, created_at) "
                            + "VALUES (:id, 1, :c, :now)")
                    .param("id", id).param("c", cardJson).param("now", now).update();
            replaceTags(id, card.tags());
        });
        return load(id).orElseThrow();
    }

    private void replaceTags(String id, List<String> tags) {
        jdbc.sql("DELETE FROM character_tags WHERE character_id = :id").param("id", id).update();
        for (String tag : normalTags(tags)) {
            jdbc.sql("INSERT INTO character_tags (character_id, tag) VALUES (:id, :t)").param("id", id)
                    .param("t", tag).update();
        }
    }

    private String cardJson(ObjectNode data) {
        return new String(CharacterCards.toV3Json(new CharacterCard(3, data, null)), StandardCharsets.UTF_8);
    }

    // ---- rules

    private void fill(ObjectNode data, CharacterDraft d) {
        data.put("name", limit("name", d.name().strip(), 200, true));
        data.put("description", limit("description", d.description(), 20_000, false));
        data.put("personality", limit("personality", d.personality(), 5_000, false));
        data.put("scenario", limit("scenario", d.scenario(), 5_000, false));
        data.put("first_mes", limit("first_message", d.firstMessage(), 10_000, false));
        data.put("mes_example", limit("example_dialogues", d.exampleDialogues(), 20_000, false));
        data.put("system_prompt", limit("system_prompt", d.systemPrompt(), 10_000, false));
        data.put("post_history_instructions", limit("post_history_instructions", d.postHistoryInstructions(),
                5_000, false));
        data.put("creator_notes", limit("creator_notes", d.creatorNotes(), 10_000, false));
        if (d.alternateGreetings().size() > 20) {
            throw CompanionException.invalid("alternate_greetings", "At most 20 alternate greetings.");
        }
        ArrayNode greetings = data.putArray("alternate_greetings");
        d.alternateGreetings().stream().filter(g -> !g.isBlank())
                .forEach(g -> greetings.add(limit("alternate_greetings", g, 10_000, false)));
        ArrayNode tags = data.putArray("tags");
        normalTags(d.tags()).forEach(tags::add);
        if (!data.has("extensions")) {
            data.putObject("extensions");
        }
        tagline(d.tagline());
    }

    static List<String> normalTags(List<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tags) {
            String tag = t.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            if (tag.startsWith("#")) {
                tag = tag.substring(1);
            }
            if (!tag.isEmpty()) {
                out.add(tag.length() > 60 ? tag.substring(0, 60) : tag);
            }
        }
        if (out.size() > 30) {
            throw CompanionException.invalid("tags", "At most 30 tags.");
        }
        return new ArrayList<>(out);
    }

    private static String searchText(ObjectNode data, String handle, String tagline) {
        String description = data.path("description").asString("");
        StringBuilder b = new StringBuilder().append(data.path("name").asString("")).append('\n').append(tagline)
                .append('\n').append(description, 0, Math.min(description.length(), 4000)).append("\n@").append(handle);
        data.path("tags").forEach(t -> b.append("\n#").append(t.asString()));
        return b.toString().toLowerCase(Locale.ROOT);
    }

    private static String tagline(String tagline) {
        return limit("tagline", tagline.strip(), 500, false);
    }

    static String choice(String field, String value, Set<String> allowed) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw CompanionException.invalid(field, field + " must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()) + "; was '" + value + "'.");
        }
        return v;
    }

    static String limit(String field, String value, int max, boolean required) {
        if (required && value.isBlank()) {
            throw CompanionException.invalid(field, field.replace('_', ' ') + " is required.");
        }
        if (value.length() > max) {
            throw CompanionException.invalid(field, field.replace('_', ' ') + " may have at most " + max
                    + " characters; it has " + value.length() + ".");
        }
        return value;
    }

    private static String firstLine(String text, int max) {
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.length() <= max ? line : line.substring(0, max - 1).strip() + "…";
    }

    static String signedIn(Viewer viewer) {
        if (viewer.personId() == null) {
            throw new CompanionException(CompanionException.Reason.UNAUTHENTICATED, "Sign in first.", null);
        }
        return viewer.personId();
    }
}
