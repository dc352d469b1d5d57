package dev.tandem.companion;

import dev.tandem.companion.memory.ChatMemory;
import dev.tandem.companion.memory.Memory;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.People;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A person's own data, all of it: exported as one JSON document (profile, personas, their characters as V3 cards,
 * likes, follows, chats with every message and alternative, memories, bonds, and the sections other modules add
 * through {@link PersonalData}: purchases, gems, cards), or deleted for good with their
 * account. Deleting removes their chats, memories, personas, likes, follows, bonds and pictures, hides their
 * characters everywhere (chats others had with them become read-only), closes the identity account and publishes
 * {@link AccountDeleted} for other modules to forget them too.
 */
@Service
public class DataExport {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Accounts accounts;
    private final Characters characters;
    private final Chats chats;
    private final ChatMemory memory;
    private final People people;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final java.util.List<PersonalData> sections;

    DataExport(JdbcClient jdbc, TransactionTemplate tx, JsonMapper json, Accounts accounts, Characters characters,
            Chats chats, ChatMemory memory, People people, Clock clock, ApplicationEventPublisher events,
            java.util.List<PersonalData> sections) {
        this.sections = java.util.List.copyOf(sections);
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.accounts = accounts;
        this.characters = characters;
        this.chats = chats;
        this.memory = memory;
        this.people = people;
        this.clock = clock;
        this.events = events;
    }

    public byte[] export(String personId) {
        Profile p = accounts.profile(personId).orElseThrow(() -> CompanionException.notFound("The account"));
        ObjectNode root = json.createObjectNode();
        root.put("exported_at", Instant.ofEpochMilli(clock.millis()).toString());
        ObjectNode profile = root.putObject("profile");
        profile.put("id", p.personId()).put("handle", p.handle()).put("name", p.name()).put("email", p.email())
                .put("birth_date", p.birthDate().toString()).put("bio", p.bio())
                .put("created_at", Instant.ofEpochMilli(p.createdAt()).toString());
        ArrayNode personas = root.putArray("personas");
        accounts.personas(personId).forEach(x -> personas.addObject().put("id", x.id()).put("name", x.name())
                .put("description", x.description()).put("default", x.isDefault()));
        ArrayNode made = root.putArray("characters");
        for (CharacterView c : characters.ownedBy(personId)) {
            ObjectNode o = made.addObject();
            o.put("id", c.id()).put("visibility", c.visibility()).put("rating", c.rating()).put("version", c.version());
            o.set("card", json.readTree(CharacterCards.toV3Json(c.card())));
        }
        ArrayNode likes = root.putArray("likes");
        jdbc.sql("SELECT character_id FROM character_likes WHERE person_id = :p").param("p", personId)
                .query(String.class).list().forEach(likes::add);
        ArrayNode follows = root.putArray("follows");
        jdbc.sql("SELECT f.handle FROM creator_follows w JOIN companion_profiles f ON f.person_id = w.creator_id "
                + "WHERE w.follower_id = :p").param("p", personId).query(String.class).list().forEach(follows::add);
        ArrayNode chatList = root.putArray("chats");
        for (Chat chat : chats.listAll(personId)) {
            ObjectNode o = chatList.addObject();
            o.put("id", chat.id()).put("character_id", chat.characterId()).put("character", chat.characterName())
                    .put("created_at", Instant.ofEpochMilli(chat.createdAt()).toString());
            java.util.Map<String, String> group = chats.memberNames(chat);
            if (!group.isEmpty()) {
                ArrayNode members = o.putArray("group");
                group.values().forEach(members::add);
            }
            if (!chat.authorsNote().isBlank()) {
                o.putObject("authors_note").put("text", chat.authorsNote()).put("depth", chat.authorsNoteDepth());
            }
            ArrayNode lines = o.putArray("messages");
            for (ChatLine l : chats.lines(chat.id())) {
                ObjectNode m = lines.addObject();
                m.put("role", l.role()).put("text", l.text()).put("shown", l.swipe());
                ArrayNode swipes = m.putArray("alternatives");
                l.swipes().forEach(swipes::add);
                if (l.rating() != null) {
                    m.put("rating", l.rating());
                }
                m.put("at", Instant.ofEpochMilli(l.createdAt()).toString());
            }
        }
        ArrayNode memories = root.putArray("memories");
        for (Memory m : memory.listForPerson(personId)) {
            memories.addObject().put("chat_id", m.chatId()).put("kind", m.kind().code()).put("content", m.content())
                    .put("pinned", m.pinned());
        }
        ArrayNode bonds = root.putArray("bonds");
        jdbc.sql("SELECT character_id, points, level FROM affinity WHERE person_id = :p").param("p", personId)
                .query((rs, i) -> bonds.addObject().put("character_id", rs.getString(1)).put("points", rs.getInt(2))
                        .put("level", rs.getInt(3)))
                .list();
        for (PersonalData section : sections) {
            root.set(section.section(), section.export(personId));
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * Deletes the account and the app's data of it in one transaction: when the identity account cannot be closed
     * (the last owner of an organization) nothing is deleted.
     */
    public void deleteAccount(String personId) {
        long now = clock.millis();
        tx.executeWithoutResult(s -> {
            try {
                people.close(personId); // first: it may refuse
            } catch (IdentityException e) {
                throw new CompanionException(CompanionException.Reason.CONFLICT, e.getMessage(), null);
            }
            jdbc.sql("DELETE FROM chat_messages WHERE chat_id IN (SELECT id FROM chats WHERE person_id = :p)")
                    .param("p", personId).update();
            jdbc.sql("DELETE FROM chat_members WHERE chat_id IN (SELECT id FROM chats WHERE person_id = :p)")
                    .param("p", personId).update();
            jdbc.sql("DELETE FROM chats WHERE person_id = :p").param("p", personId).update();
            jdbc.sql("UPDATE characters SET like_count = like_count - 1 WHERE id IN (SELECT character_id FROM "
                    + "character_likes WHERE person_id = :p)").param("p", personId).update();
            jdbc.sql("DELETE FROM character_likes WHERE person_id = :p").param("p", personId).update();
            jdbc.sql("DELETE FROM creator_follows WHERE follower_id = :p OR creator_id = :p").param("p", personId)
                    .update();
            jdbc.sql("DELETE FROM affinity WHERE person_id = :p").param("p", personId).update();
            jdbc.sql("UPDATE characters SET deleted_at = :now WHERE creator_id = :p AND deleted_at IS NULL")
                    .param("now", now).param("p", personId).update();
            jdbc.sql("UPDATE chats SET persona_id = NULL WHERE persona_id IN (SELECT id FROM personas WHERE "
                    + "person_id = :p)").param("p", personId).update();
            jdbc.sql("DELETE FROM personas WHERE person_id = :p").param("p", personId).update();
            jdbc.sql("DELETE FROM companion_profiles WHERE person_id = :p").param("p", personId).update();
            jdbc.sql("DELETE FROM companion_images WHERE owner_id = :p AND id NOT IN (SELECT avatar_id FROM "
                    + "characters WHERE avatar_id IS NOT NULL AND deleted_at IS NULL)").param("p", personId).update();
        });
        memory.deletePerson(personId);
        events.publishEvent(new AccountDeleted(personId, now));
    }
}
