package dev.tandem.gacha;

import dev.tandem.identity.Ids;
import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Characters;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.Images;
import dev.tandem.companion.Viewer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Card sets: the cards of each character, made and edited by the character's creator (app pages) or a platform
 * admin (management API). Art goes through {@link Images} (checked, re-encoded, resized) and is kept under the
 * card's id, so it outlives its creator's account like the cards people own. A card's rarity is fixed once it is
 * in a banner: the published odds name it. Thread-safe.
 *
 * @throws GachaException naming the field at fault; {@link CompanionException} for a bad image or a character
 *                        the editor may not see
 */
@Service
public class Cards {

    /** The most cards one character's set may hold. */
    public static final int MAX_PER_CHARACTER = 200;

    /**
     * Who edits: a person (only the character's creator may) or a platform admin (any character that is not
     * private).
     */
    public record Editor(String id, boolean admin) {
    }

    static final String COLUMNS = "id, character_id, name, rarity, art_id, unlock_kind, unlock_text, created_by, "
            + "created_at, updated_at";

    private final JdbcClient jdbc;
    private final Characters characters;
    private final Images images;
    private final Clock clock;

    Cards(JdbcClient jdbc, Characters characters, Images images, Clock clock) {
        this.jdbc = jdbc;
        this.characters = characters;
        this.images = images;
        this.clock = clock;
    }

    /** Adds a card to {@code characterId}'s set; {@code art}, when given, is checked and scaled first. */
    public Card create(Editor editor, String characterId, CardDraft draft, byte @Nullable [] art) {
        editable(editor, characterId);
        long count = jdbc.sql("SELECT COUNT(*) FROM gacha_cards WHERE character_id = :c").param("c", characterId)
                .query(Long.class).single();
        if (count >= MAX_PER_CHARACTER) {
            throw GachaException.invalid("name", "A character's card set holds at most " + MAX_PER_CHARACTER
                    + " cards.");
        }
        String id = Ids.next("crd");
        String artId = art == null || art.length == 0 ? null : images.store(id, art).id();
        long now = clock.millis();
        jdbc.sql("INSERT INTO gacha_cards (" + COLUMNS + ") VALUES (:id, :c, :n, :r, :a, :k, :t, :by, :now, :now)")
                .param("id", id).param("c", characterId).param("n", draft.name()).param("r", draft.rarity().name())
                .param("a", artId).param("k", draft.unlockKind().wire()).param("t", draft.unlockText())
                .param("by", editor.id()).param("now", now).update();
        return find(id).orElseThrow();
    }

    /**
     * Changes a card; {@code art} null keeps the picture.
     *
     * @throws GachaException CONFLICT when the rarity would change on a card that is in a banner
     */
    public Card update(Editor editor, String cardId, CardDraft draft, byte @Nullable [] art) {
        Card card = find(cardId).orElseThrow(() -> GachaException.notFound("The card"));
        editable(editor, card.characterId());
        if (draft.rarity() != card.rarity() && inAnyBanner(cardId)) {
            throw new GachaException(GachaException.Reason.CONFLICT, "This card is in a banner whose published "
                    + "odds name it as " + card.rarity() + "; its rarity cannot change.", "rarity");
        }
        String artId = art == null || art.length == 0 ? card.artId() : images.store(cardId, art).id();
        jdbc.sql("UPDATE gacha_cards SET name = :n, rarity = :r, art_id = :a, unlock_kind = :k, unlock_text = :t, "
                        + "updated_at = :now WHERE id = :id")
                .param("n", draft.name()).param("r", draft.rarity().name()).param("a", artId)
                .param("k", draft.unlockKind().wire()).param("t", draft.unlockText()).param("now", clock.millis())
                .param("id", cardId).update();
        return find(cardId).orElseThrow();
    }

    public Optional<Card> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM gacha_cards WHERE id = :id").param("id", id)
                .query((rs, i) -> card(rs)).optional();
    }

    /**
     * The card as {@code viewer} may see it: its character must be visible to them (not someone else's private
     * character, not a mature one in teen mode).
     *
     * @throws GachaException NOT_FOUND for an unknown card; {@link CompanionException} as
     *                        {@link Characters#find(Viewer, String)}
     */
    public Card visible(Viewer viewer, String id) {
        Card card = find(id).orElseThrow(() -> GachaException.notFound("The card"));
        characters.find(viewer, card.characterId());
        return card;
    }

    /** A character's card set, rarest first, then by name. */
    public List<Card> ofCharacter(String characterId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM gacha_cards WHERE character_id = :c ORDER BY name, id")
                .param("c", characterId).query((rs, i) -> card(rs)).list().stream()
                .sorted((a, b) -> b.rarity().compareTo(a.rarity())).toList();
    }

    /** The cards of {@code ids} that exist, by id. */
    public Map<String, Card> byIds(Collection<String> ids) {
        Map<String, Card> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT " + COLUMNS + " FROM gacha_cards WHERE id IN (:ids)").param("ids", List.copyOf(ids))
                .query((rs, i) -> card(rs)).list().forEach(c -> out.put(c.id(), c));
        return out;
    }

    /** The character a card belongs to, as {@code viewer} sees it. */
    public CharacterView character(Viewer viewer, Card card) {
        return characters.find(viewer, card.characterId());
    }

    /** Whether {@code personId} may edit {@code characterId}'s card set: they made the character. */
    public boolean mayEdit(@Nullable String personId, String characterId) {
        if (personId == null) {
            return false;
        }
        try {
            return characters.find(new Viewer(personId, false), characterId).creatorId().equals(personId);
        } catch (CompanionException e) {
            return false;
        }
    }

    boolean inAnyBanner(String cardId) {
        return jdbc.sql("SELECT COUNT(*) FROM gacha_banner_cards WHERE card_id = :c").param("c", cardId)
                .query(Long.class).single() > 0;
    }

    private void editable(Editor editor, String characterId) {
        CharacterView c = characters.find(new Viewer(editor.admin() ? null : editor.id(), false), characterId);
        if (!editor.admin() && !c.creatorId().equals(editor.id())) {
            throw new GachaException(GachaException.Reason.FORBIDDEN, "Only the character's creator (or a platform "
                    + "admin) can change its card set.", null);
        }
    }

    static Card card(ResultSet rs) throws SQLException {
        return new Card(rs.getString(1), rs.getString(2), rs.getString(3), Rarity.valueOf(rs.getString(4)),
                rs.getString(5), Card.Unlock.parse("unlock_kind", rs.getString(6)), rs.getString(7), rs.getString(8),
                rs.getLong(9), rs.getLong(10));
    }
}
