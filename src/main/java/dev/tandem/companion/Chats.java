package dev.tandem.companion;

import dev.tandem.identity.Ids;
import dev.tandem.companion.memory.ChatMemory;
import dev.tandem.companion.memory.Memory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chats between a person and a character: start one (the card's greeting, its alternate greetings as swipes),
 * send a message and stream the reply, regenerate it (a new alternative to swipe to), swipe, continue a reply,
 * edit and delete messages, rate replies 1–4 stars. Every reply is written through the platform client, so it is
 * metered as the app's own organization. The person's messages feed long-term memory (facts are extracted from
 * them; a character's lines never are), older stretches are summarized into memory, and meaningful turns grow the
 * bond. One reply at a time per chat on a node; a second is refused while one is being written. A reply may have
 * {@value #FREE_ALTERNATIVES} alternatives, more where a membership's {@link MembershipPerks} allow, and members'
 * perks shape the prompt (see {@code Replies}). Thread-safe.
 *
 * @throws CompanionException from every method: NOT_FOUND for a chat or message that is not the person's, INVALID
 *                            for bad input, CONFLICT while a reply is being written, UNAVAILABLE when no model answers
 */
@Service
public class Chats {

    static final int MAX_MESSAGE = 4000;
    /** Alternatives one reply may have without a membership; a plan's perk may allow more. */
    static final int FREE_ALTERNATIVES = 8;
    private static final Logger log = LoggerFactory.getLogger(Chats.class);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** Where a reply's text goes as it is written. */
    @FunctionalInterface
    public interface Sink {
        void delta(String text) throws java.io.IOException;
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JsonMapper json;
    private final Characters characters;
    private final Accounts accounts;
    private final Discovery discovery;
    private final Affinity affinity;
    private final ChatMemory memory;
    private final Replies replies;
    private final CompanionProperties properties;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final ObjectProvider<MembershipPerks> perks;
    private final Map<String, ReentrantLock> writing = new ConcurrentHashMap<>();

    Chats(JdbcClient jdbc, TransactionTemplate tx, Clock clock, JsonMapper json, Characters characters,
            Accounts accounts, Discovery discovery, Affinity affinity, ChatMemory memory, Replies replies,
            CompanionProperties properties, org.springframework.context.ApplicationEventPublisher events,
            ObjectProvider<MembershipPerks> perks) {
        this.events = events;
        this.perks = perks;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
        this.characters = characters;
        this.accounts = accounts;
        this.discovery = discovery;
        this.affinity = affinity;
        this.memory = memory;
        this.replies = replies;
        this.properties = properties;
    }

    /** Starts a chat with a character the person may see, speaking as {@code personaId} (null: their default). */
    public Chat start(Viewer viewer, String characterId, @Nullable String personaId) {
        String person = Characters.signedIn(viewer);
        CharacterView c = characters.find(viewer, characterId);
        Persona persona = personaId == null || personaId.isBlank() ? accounts.defaultPersona(person)
                : accounts.persona(person, personaId).orElseThrow(() -> CompanionException.notFound("The persona"));
        String id = Ids.next("cht");
        long now = clock.millis();
        List<String> greetings = new ArrayList<>();
        for (String g : c.greetings()) {
            greetings.add(expand(g, c, persona));
        }
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO chats (id, person_id, character_id, persona_id, title, created_at, updated_at) "
                            + "VALUES (:id, :p, :c, :persona, :t, :now, :now)")
                    .param("id", id).param("p", person).param("c", characterId).param("persona", persona.id())
                    .param("t", c.name()).param("now", now).update();
            if (!greetings.isEmpty()) {
                insertLine(id, "char", greetings, now);
            }
            jdbc.sql("UPDATE characters SET chat_count = chat_count + 1 WHERE id = :c").param("c", characterId)
                    .update();
        });
        return chat(person, id);
    }

    /**
     * A new chat that starts as a copy of this one up to and including {@code lineId} (SillyTavern's "branch"): the
     * same character, persona and author's note, every message with its alternatives and rating, and the memories
     * that part of the chat gave (facts from its messages, summaries of it, the person's notes). The original chat
     * is left as it was.
     */
    public Chat branch(Viewer viewer, String chatId, String lineId) {
        String person = Characters.signedIn(viewer);
        Chat chat = chat(person, chatId);
        characters.find(viewer, chat.characterId());
        List<ChatLine> lines = lines(chatId);
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).id().equals(lineId)) {
                last = i;
            }
        }
        if (last < 0) {
            throw CompanionException.notFound("The message");
        }
        String id = Ids.next("cht");
        long now = clock.millis();
        Map<String, String> copiedIds = new LinkedHashMap<>();
        List<ChatLine> copied = lines.subList(0, last + 1);
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO chats (id, person_id, character_id, persona_id, title, created_at, updated_at, "
                            + "authors_note, authors_note_depth) SELECT :id, person_id, character_id, persona_id, "
                            + ":t, :now, :now, authors_note, authors_note_depth FROM chats WHERE id = :from")
                    .param("id", id).param("t", cut(chat.title() + " (branch)", 200)).param("now", now)
                    .param("from", chatId).update();
            for (ChatLine l : copied) {
                String copy = Ids.next("msg");
                copiedIds.put(l.id(), copy);
                jdbc.sql("INSERT INTO chat_messages (id, chat_id, seq, role, swipes, swipe, rating, created_at, "
                                + "edited_at, speaker_id) VALUES (:id, :c, :seq, :r, :s, :i, :rating, :at, :edited, "
                                + ":speaker)")
                        .param("id", copy).param("c", id).param("seq", l.seq()).param("r", l.role())
                        .param("s", json.writeValueAsString(l.swipes())).param("i", l.swipe())
                        .param("rating", l.rating()).param("at", l.createdAt()).param("edited", l.editedAt())
                        .param("speaker", l.speakerId()).update();
            }
            jdbc.sql("INSERT INTO chat_members (chat_id, character_id, position) SELECT :id, character_id, position "
                    + "FROM chat_members WHERE chat_id = :from").param("id", id).param("from", chatId).update();
            jdbc.sql("UPDATE characters SET chat_count = chat_count + 1 WHERE id = :c")
                    .param("c", chat.characterId()).update();
        });
        memory.copy(chatId, id, copiedIds);
        // summaries go on from the last one the branch has
        Map<String, Integer> seqs = new LinkedHashMap<>();
        copied.forEach(l -> seqs.put(l.id(), l.seq()));
        int summarized = memory.list(chatId).stream()
                .filter(m -> m.kind() == Memory.Kind.SUMMARY && m.sourceMessageId() != null)
                .mapToInt(m -> seqs.getOrDefault(m.sourceMessageId(), 0)).max().orElse(0);
        jdbc.sql("UPDATE chats SET summarized_upto = :s WHERE id = :c").param("s", summarized).param("c", id).update();
        return chat(person, id);
    }

    /**
     * A message the person might send next, written by the model as their persona; nothing is stored. Empty when
     * the character is no longer available.
     */
    public String suggest(Viewer viewer, String chatId) {
        String person = Characters.signedIn(viewer);
        Chat chat = chat(person, chatId);
        CharacterView c = characters.find(viewer, chat.characterId());
        String text = replies.suggest(chatId, scene(chat, c), turns(chat, c, lines(chatId)));
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) : text;
    }

    /** The chat as a SillyTavern chat file (JSONL), every alternative included. */
    public byte[] exportSillyTavern(String personId, String chatId) {
        Chat chat = chat(personId, chatId);
        Map<String, String> names = memberNames(chat);
        return SillyTavernChats.write(json, chat, persona(chat).name(), lines(chatId),
                l -> l.speakerId() != null ? names.getOrDefault(l.speakerId(), chat.characterName())
                        : chat.characterName());
    }

    /**
     * A new chat with the character from a SillyTavern chat file (JSONL): its messages with every alternative, in
     * the persona given (or the person's default); facts the person stated in it go into the chat's memory. The
     * names in the file need not match: a chat moves to this character and persona as it is.
     */
    public Chat importSillyTavern(Viewer viewer, String characterId, @Nullable String personaId, byte[] file) {
        String person = Characters.signedIn(viewer);
        CharacterView c = characters.find(viewer, characterId);
        Persona persona = personaId == null || personaId.isBlank() ? accounts.defaultPersona(person)
                : accounts.persona(person, personaId).orElseThrow(() -> CompanionException.notFound("The persona"));
        long now = clock.millis();
        SillyTavernChats.Imported imported = SillyTavernChats.read(json, file, now);
        String id = Ids.next("cht");
        List<String[]> userLines = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO chats (id, person_id, character_id, persona_id, title, created_at, updated_at) "
                            + "VALUES (:id, :p, :c, :persona, :t, :now, :now)")
                    .param("id", id).param("p", person).param("c", characterId).param("persona", persona.id())
                    .param("t", cut(c.name() + " (imported)", 200)).param("now", now).update();
            int seq = 0;
            for (SillyTavernChats.Line l : imported.lines()) {
                String line = Ids.next("msg");
                jdbc.sql("INSERT INTO chat_messages (id, chat_id, seq, role, swipes, swipe, created_at) "
                                + "VALUES (:id, :c, :seq, :r, :s, :i, :at)")
                        .param("id", line).param("c", id).param("seq", ++seq).param("r", l.role())
                        .param("s", json.writeValueAsString(l.swipes())).param("i", l.swipe())
                        .param("at", l.sentAt()).update();
                if (l.role().equals("user")) {
                    userLines.add(new String[] {line, l.swipes().get(l.swipe())});
                }
            }
            jdbc.sql("UPDATE characters SET chat_count = chat_count + 1 WHERE id = :c").param("c", characterId)
                    .update();
        });
        for (String[] l : userLines) {
            memory.observe(id, person, l[0], l[1]); // SillyTavernChats.MAX_LINE keeps it within ChatMemory's limit
        }
        return chat(person, id);
    }

    private static String cut(String s, int most) {
        return s.length() > most ? s.substring(0, most) : s;
    }

    /** A group chat has 2 to this many characters. */
    public static final int MAX_MEMBERS = 5;

    /**
     * Starts a group chat: the person with 2 to {@value #MAX_MEMBERS} characters (each one they may see), in the
     * persona given (or their default). The first character greets. Each message is answered by one of them: the
     * one it names, else the next in turn; any of them can be asked to speak.
     */
    public Chat startGroup(Viewer viewer, List<String> characterIds, @Nullable String personaId) {
        String person = Characters.signedIn(viewer);
        List<String> ids = characterIds.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (ids.size() < 2 || ids.size() > MAX_MEMBERS) {
            throw CompanionException.invalid("characters", "A group chat has 2 to " + MAX_MEMBERS
                    + " different characters; " + ids.size() + " were chosen.");
        }
        List<CharacterView> members = ids.stream().map(id -> characters.find(viewer, id)).toList();
        Persona persona = personaId == null || personaId.isBlank() ? accounts.defaultPersona(person)
                : accounts.persona(person, personaId).orElseThrow(() -> CompanionException.notFound("The persona"));
        CharacterView first = members.getFirst();
        String id = Ids.next("cht");
        long now = clock.millis();
        String title = String.join(", ", members.stream().map(CharacterView::name).toList());
        String greeting = first.greetings().isEmpty() ? null : expand(first.greetings().getFirst(), first, persona);
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO chats (id, person_id, character_id, persona_id, title, created_at, updated_at) "
                            + "VALUES (:id, :p, :c, :persona, :t, :now, :now)")
                    .param("id", id).param("p", person).param("c", first.id()).param("persona", persona.id())
                    .param("t", cut(title, 200)).param("now", now).update();
            for (int i = 0; i < members.size(); i++) {
                jdbc.sql("INSERT INTO chat_members (chat_id, character_id, position) VALUES (:c, :m, :i)")
                        .param("c", id).param("m", members.get(i).id()).param("i", i).update();
                jdbc.sql("UPDATE characters SET chat_count = chat_count + 1 WHERE id = :c")
                        .param("c", members.get(i).id()).update();
            }
            if (greeting != null) {
                insertLine(id, "char", List.of(greeting), now);
            }
        });
        return chat(person, id);
    }

    /** A group chat's characters by id, in order, with their names; empty for a chat with one character. */
    public Map<String, String> memberNames(Chat chat) {
        Map<String, String> names = new LinkedHashMap<>();
        jdbc.sql("SELECT m.character_id, c.name FROM chat_members m JOIN characters c ON c.id = m.character_id "
                        + "WHERE m.chat_id = :c ORDER BY m.position").param("c", chat.id())
                .query(rs -> {
                    names.put(rs.getString(1), rs.getString(2));
                });
        return names;
    }

    /**
     * Who answers {@code message}: in a group chat the character it names (the earliest named), else the one after
     * the last to speak; in a chat with one character, that one. Characters no longer visible are passed over.
     */
    private CharacterView nextSpeaker(Viewer viewer, Chat chat, String message, List<ChatLine> lines) {
        Map<String, String> names = memberNames(chat);
        if (names.isEmpty()) {
            return characters.find(viewer, chat.characterId());
        }
        List<String> order = new ArrayList<>(names.keySet());
        String named = null;
        int at = Integer.MAX_VALUE;
        for (Map.Entry<String, String> m : names.entrySet()) {
            java.util.regex.Matcher found = java.util.regex.Pattern.compile("(?<![\\p{L}\\p{N}])"
                    + java.util.regex.Pattern.quote(m.getValue()) + "(?![\\p{L}\\p{N}])",
                    java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE).matcher(message);
            if (found.find() && found.start() < at) {
                at = found.start();
                named = m.getKey();
            }
        }
        String last = null;
        for (int i = lines.size() - 1; i >= 0 && last == null; i--) {
            if (lines.get(i).fromCharacter()) {
                last = lines.get(i).speakerId() != null ? lines.get(i).speakerId() : chat.characterId();
            }
        }
        int start = named != null ? order.indexOf(named) : last == null ? 0 : order.indexOf(last) + 1;
        CompanionException gone = null;
        for (int k = 0; k < order.size(); k++) {
            try {
                return characters.find(viewer, order.get(Math.floorMod(start + k, order.size())));
            } catch (CompanionException e) {
                gone = e;
            }
        }
        throw gone;
    }

    /** In a group chat, has {@code characterId} write the next message (no message of the person's first). */
    public ChatLine speak(Viewer viewer, String chatId, String characterId, Sink sink) {
        String person = Characters.signedIn(viewer);
        return exclusive(chatId, () -> {
            Chat chat = chat(person, chatId);
            if (!memberNames(chat).containsKey(characterId)) {
                throw CompanionException.invalid("character", "Only a character of this group chat can speak in it.");
            }
            CharacterView c = characters.find(viewer, characterId);
            List<ChatLine> history = lines(chatId);
            return reply(chat, c, history, lastUserText(history), sink, null);
        });
    }

    /** The person's chats, the latest first. */
    public List<Chat> list(String personId) {
        return jdbc.sql(CHAT_QUERY + "WHERE h.person_id = :p ORDER BY h.updated_at DESC LIMIT 200")
                .param("p", personId).query((rs, i) -> chat(rs)).list();
    }

    /** Every chat of the person, the latest first (for their data export). */
    List<Chat> listAll(String personId) {
        return jdbc.sql(CHAT_QUERY + "WHERE h.person_id = :p ORDER BY h.updated_at DESC").param("p", personId)
                .query((rs, i) -> chat(rs)).list();
    }

    /** The person's chats with one character, the latest first. */
    public List<Chat> list(String personId, String characterId) {
        return jdbc.sql(CHAT_QUERY + "WHERE h.person_id = :p AND h.character_id = :c ORDER BY h.updated_at DESC")
                .param("p", personId).param("c", characterId).query((rs, i) -> chat(rs)).list();
    }

    public Chat chat(String personId, String chatId) {
        return jdbc.sql(CHAT_QUERY + "WHERE h.id = :id AND h.person_id = :p").param("id", chatId).param("p", personId)
                .query((rs, i) -> chat(rs)).optional().orElseThrow(() -> CompanionException.notFound("The chat"));
    }

    /**
     * Sets the chat's author's note: a standing instruction for the story put into every reply's prompt
     * {@code depth} messages before the end (blank text: none).
     */
    public Chat setAuthorsNote(String personId, String chatId, String text, int depth) {
        chat(personId, chatId);
        PromptBuilder.AuthorsNote note;
        try {
            note = new PromptBuilder.AuthorsNote(text.strip(), depth);
        } catch (IllegalArgumentException e) {
            throw CompanionException.invalid(text.length() > PromptBuilder.AuthorsNote.MAX_TEXT ? "authors_note"
                    : "depth", Character.toUpperCase(e.getMessage().charAt(0)) + e.getMessage().substring(1) + ".");
        }
        jdbc.sql("UPDATE chats SET authors_note = :n, authors_note_depth = :d WHERE id = :id AND person_id = :p")
                .param("n", note.text()).param("d", note.depth()).param("id", chatId).param("p", personId).update();
        return chat(personId, chatId);
    }

    /** The chat's messages, oldest first. */
    public List<ChatLine> lines(String personId, String chatId) {
        chat(personId, chatId);
        return lines(chatId);
    }

    /** The character and persona of a chat, as the chat page shows them. */
    public CharacterView character(Viewer viewer, Chat chat) {
        return characters.find(viewer, chat.characterId());
    }

    private Replies.Scene scene(Chat chat, CharacterView c) {
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, String> m : memberNames(chat).entrySet()) {
            if (!m.getKey().equals(c.id())) {
                others.add(m.getValue());
            }
        }
        return new Replies.Scene(c.card(), persona(chat), new PromptBuilder.AuthorsNote(chat.authorsNote(),
                chat.authorsNoteDepth()), others);
    }

    public Persona persona(Chat chat) {
        return chat.personaId() == null ? accounts.defaultPersona(chat.personId())
                : accounts.persona(chat.personId(), chat.personaId())
                        .orElseGet(() -> accounts.defaultPersona(chat.personId()));
    }

    /** Stores the person's message and writes the character's reply, streaming it to {@code sink}. */
    public ChatLine send(Viewer viewer, String chatId, String text, Sink sink) {
        String person = Characters.signedIn(viewer);
        String message = text.strip();
        if (message.isEmpty()) {
            throw CompanionException.invalid("text", "Write a message first.");
        }
        if (message.length() > MAX_MESSAGE) {
            throw CompanionException.invalid("text", "A message may have at most " + MAX_MESSAGE + " characters.");
        }
        return exclusive(chatId, () -> {
            Chat chat = chat(person, chatId);
            CharacterView c = nextSpeaker(viewer, chat, message, lines(chatId));
            long now = clock.millis();
            String lineId = tx.execute(s -> insertLine(chatId, "user", List.of(message), now));
            discovery.countMessage(c.id());
            boolean meaningful = affinity.award(person, c.id(), message).meaningful();
            events.publishEvent(new ChatTurnTaken(person, c.id(), lineId, meaningful, now));
            memory.observe(chatId, person, lineId, message);
            List<ChatLine> history = lines(chatId);
            ChatLine reply = reply(chat, c, history, message, sink, null);
            List<ChatLine> all = new ArrayList<>(history);
            all.add(reply);
            summarizeOlder(chat, c, all);
            return reply;
        });
    }

    /** Writes another alternative of the last reply and shows it. */
    public ChatLine regenerate(Viewer viewer, String chatId, Sink sink) {
        return onLastReply(viewer, chatId, (chat, c, lines, last) -> {
            MembershipPerks.Perks p = perks(chat.personId());
            int most = Math.max(FREE_ALTERNATIVES, p.alternatives());
            if (last.swipes().size() >= most) {
                throw new CompanionException(CompanionException.Reason.CONFLICT, "This reply has " + most
                        + " alternatives already, the most " + (p.member() ? "your membership allows" : "without a "
                        + "membership") + ".", null);
            }
            return reply(chat, c, lines.subList(0, lines.size() - 1), lastUserText(lines), sink, last);
        });
    }

    /** What is done to a chat's last reply, with the chat, its character and its lines at hand. */
    @FunctionalInterface
    private interface LastReplyWork {
        ChatLine run(Chat chat, CharacterView c, List<ChatLine> lines, ChatLine last);
    }

    private ChatLine onLastReply(Viewer viewer, String chatId, LastReplyWork work) {
        String person = Characters.signedIn(viewer);
        return exclusive(chatId, () -> {
            Chat chat = chat(person, chatId);
            List<ChatLine> lines = lines(chatId);
            ChatLine last = lastReply(lines);
            CharacterView c = characters.find(viewer, last.speakerId() != null ? last.speakerId()
                    : chat.characterId());
            return work.run(chat, c, lines, last);
        });
    }

    /** Writes more of the last reply, appended to the shown alternative. */
    public ChatLine continueReply(Viewer viewer, String chatId, Sink sink) {
        return onLastReply(viewer, chatId, (chat, c, lines, last) -> {
            Replies.Written more = replies.write(chatId, perks(chat.personId()), scene(chat, c), turns(chat, c, lines),
                    lastUserText(lines), sink::delta);
            String joined = last.text() + more.text();
            List<String> swipes = new ArrayList<>(last.swipes());
            swipes.set(last.swipe(), joined);
            updateSwipes(chatId, last.id(), swipes, last.swipe());
            return line(chatId, last.id());
        });
    }

    /** Shows alternative {@code index} of the last reply. */
    public ChatLine swipe(String personId, String chatId, String lineId, int index) {
        chat(personId, chatId);
        List<ChatLine> lines = lines(chatId);
        ChatLine last = lastReply(lines);
        if (!last.id().equals(lineId)) {
            throw CompanionException.invalid("message", "Only the latest reply can be swiped.");
        }
        if (index < 0 || index >= last.swipes().size()) {
            throw CompanionException.invalid("swipe", "There are " + last.swipes().size() + " alternatives; "
                    + "choose 0 to " + (last.swipes().size() - 1) + ".");
        }
        jdbc.sql("UPDATE chat_messages SET swipe = :s, rating = NULL WHERE id = :id").param("s", index)
                .param("id", lineId).update();
        return line(chatId, lineId);
    }

    /** Replaces the shown text of a message; a person's edited message feeds memory again. */
    public ChatLine edit(String personId, String chatId, String lineId, String text) {
        chat(personId, chatId);
        String t = text.strip();
        if (t.isEmpty() || t.length() > MAX_MESSAGE) {
            throw CompanionException.invalid("text", "A message has 1 to " + MAX_MESSAGE + " characters.");
        }
        ChatLine line = line(chatId, lineId);
        List<String> swipes = new ArrayList<>(line.swipes());
        swipes.set(line.swipe(), t);
        jdbc.sql("UPDATE chat_messages SET swipes = :s, edited_at = :now WHERE id = :id")
                .param("s", json.writeValueAsString(swipes)).param("now", clock.millis()).param("id", lineId).update();
        if (!line.fromCharacter()) {
            memory.observe(chatId, personId, lineId, t);
        }
        return line(chatId, lineId);
    }

    /** Deletes one message. */
    public void delete(String personId, String chatId, String lineId) {
        chat(personId, chatId);
        if (jdbc.sql("DELETE FROM chat_messages WHERE id = :id AND chat_id = :c").param("id", lineId)
                .param("c", chatId).update() == 0) {
            throw CompanionException.notFound("The message");
        }
    }

    /** Rates the shown alternative of a character's message: 1 to 4 stars, or 0 to clear. */
    public ChatLine rate(String personId, String chatId, String lineId, int stars) {
        chat(personId, chatId);
        if (stars < 0 || stars > 4) {
            throw CompanionException.invalid("stars", "Rate with 1 to 4 stars (0 clears).");
        }
        ChatLine line = line(chatId, lineId);
        if (!line.fromCharacter()) {
            throw CompanionException.invalid("message", "Only the character's messages can be rated.");
        }
        jdbc.sql("UPDATE chat_messages SET rating = :r WHERE id = :id").param("r", stars == 0 ? null : stars)
                .param("id", lineId).update();
        return line(chatId, lineId);
    }

    /** Deletes a chat, its messages and its memories. */
    public void deleteChat(String personId, String chatId) {
        chat(personId, chatId);
        tx.executeWithoutResult(s -> {
            jdbc.sql("DELETE FROM chat_messages WHERE chat_id = :c").param("c", chatId).update();
            jdbc.sql("DELETE FROM chat_members WHERE chat_id = :c").param("c", chatId).update();
            jdbc.sql("DELETE FROM chats WHERE id = :c").param("c", chatId).update();
        });
        memory.deleteChat(chatId);
    }

    // ---- writing replies

    private ChatLine reply(Chat chat, CharacterView c, List<ChatLine> history, String query, Sink sink,
            @Nullable ChatLine alternativeOf) {
        Replies.Written written = replies.write(chat.id(), perks(chat.personId()), scene(chat, c),
                turns(chat, c, history), query, sink::delta);
        String text = written.text().strip();
        if (text.startsWith(c.name() + ":")) {
            text = text.substring(c.name().length() + 1).strip(); // a group reply may name its speaker first
        }
        text = text.isEmpty() ? "…" : text;
        long now = clock.millis();
        if (alternativeOf != null) {
            List<String> swipes = new ArrayList<>(alternativeOf.swipes());
            swipes.add(text);
            updateSwipes(chat.id(), alternativeOf.id(), swipes, swipes.size() - 1);
            return line(chat.id(), alternativeOf.id());
        }
        String shown = text;
        String speaker = c.id().equals(chat.characterId()) ? null : c.id();
        String id = tx.execute(s -> insertLine(chat.id(), "char", List.of(shown), now, speaker));
        return line(chat.id(), id);
    }

    /**
     * Once the chat has grown past the recent window by a stretch of {@value #SUMMARY_STRETCH} messages, that
     * stretch is summarized into memory: what scrolls out of the prompt is still remembered.
     */
    private void summarizeOlder(Chat chat, CharacterView c, List<ChatLine> lines) {
        int upto = jdbc.sql("SELECT summarized_upto FROM chats WHERE id = :c").param("c", chat.id())
                .query(Integer.class).single();
        List<ChatLine> older = lines.subList(0, Math.max(0, lines.size() - properties.recentTurns())).stream()
                .filter(l -> l.seq() > upto).toList();
        if (older.size() < SUMMARY_STRETCH) {
            return;
        }
        try {
            String summary = replies.summarize(chat.id(), transcript(chat, c, older));
            if (!summary.isBlank()) {
                memory.addSummary(chat.id(), chat.personId(), summary.length() > 1000 ? summary.substring(0, 1000)
                        : summary, older.getLast().id());
            }
            jdbc.sql("UPDATE chats SET summarized_upto = :s WHERE id = :c").param("s", older.getLast().seq())
                    .param("c", chat.id()).update();
        } catch (CompanionException e) {
            log.info("chat {}: no summary this time: {}", chat.id(), e.getMessage()); // tried again next turn
        }
    }

    static final int SUMMARY_STRETCH = 10;

    /** The person's membership perks; none where no module provides memberships. */
    private MembershipPerks.Perks perks(String personId) {
        MembershipPerks provider = perks.getIfAvailable();
        return provider == null ? MembershipPerks.Perks.NONE : provider.of(personId);
    }

    private static List<PromptBuilder.Turn> turns(List<ChatLine> lines) {
        List<PromptBuilder.Turn> turns = new ArrayList<>();
        for (ChatLine l : lines) {
            turns.add(new PromptBuilder.Turn(l.fromCharacter() ? "assistant" : "user", l.text()));
        }
        return turns;
    }

    /**
     * The chat as {@code speaker} is to answer it: in a group chat the other characters' lines carry their names
     * ("Lyra: …"), so that the speaker tells them from its own.
     */
    private List<PromptBuilder.Turn> turns(Chat chat, CharacterView speaker, List<ChatLine> lines) {
        Map<String, String> names = memberNames(chat);
        if (names.isEmpty()) {
            return turns(lines);
        }
        List<PromptBuilder.Turn> turns = new ArrayList<>();
        for (ChatLine l : lines) {
            String by = l.speakerId() != null ? l.speakerId() : chat.characterId();
            boolean other = l.fromCharacter() && !by.equals(speaker.id());
            turns.add(new PromptBuilder.Turn(l.fromCharacter() ? "assistant" : "user",
                    other ? names.getOrDefault(by, "Someone") + ": " + l.text() : l.text()));
        }
        return turns;
    }

    /** Lines of the chat as "Name: text", for a summary. */
    private List<String> transcript(Chat chat, CharacterView c, List<ChatLine> lines) {
        Map<String, String> names = memberNames(chat);
        String person = persona(chat).name();
        List<String> out = new ArrayList<>();
        for (ChatLine l : lines) {
            String by = l.speakerId() != null ? l.speakerId() : chat.characterId();
            out.add((l.fromCharacter() ? names.getOrDefault(by, c.name()) : person) + ": " + l.text().strip());
        }
        return out;
    }

    private static ChatLine lastReply(List<ChatLine> lines) {
        if (lines.isEmpty() || !lines.getLast().fromCharacter()) {
            throw CompanionException.invalid("message", "The latest message is not the character's.");
        }
        return lines.getLast();
    }

    private static String lastUserText(List<ChatLine> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).fromCharacter()) {
                return lines.get(i).text();
            }
        }
        return "";
    }

    private <T> T exclusive(String chatId, java.util.function.Supplier<T> work) {
        ReentrantLock lock = writing.computeIfAbsent(chatId, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new CompanionException(CompanionException.Reason.CONFLICT,
                    "A reply in this chat is still being written; wait for it.", null);
        }
        try {
            return work.get();
        } finally {
            lock.unlock();
            writing.remove(chatId, lock);
        }
    }

    private static String expand(String text, CharacterView c, Persona persona) {
        String nickname = c.card().data().path("nickname").asString("");
        return Macros.expand(text, Map.of("char", nickname.isBlank() ? c.name() : nickname, "user", persona.name()),
                java.util.concurrent.ThreadLocalRandom.current());
    }

    // ---- storage

    private static final String CHAT_QUERY = "SELECT h.id, h.person_id, h.character_id, c.name, c.avatar_id, "
            + "h.persona_id, h.title, h.created_at, h.updated_at, "
            + "(SELECT m.swipes FROM chat_messages m WHERE m.chat_id = h.id ORDER BY m.seq DESC LIMIT 1), "
            + "(SELECT m.swipe FROM chat_messages m WHERE m.chat_id = h.id ORDER BY m.seq DESC LIMIT 1), "
            + "h.authors_note, h.authors_note_depth "
            + "FROM chats h JOIN characters c ON c.id = h.character_id ";

    private Chat chat(java.sql.ResultSet rs) throws java.sql.SQLException {
        String swipes = rs.getString(10);
        String lastLine = "";
        if (swipes != null) {
            List<String> all = json.readValue(swipes, STRINGS);
            int swipe = rs.getInt(11);
            lastLine = swipe < all.size() ? all.get(swipe) : "";
        }
        return new Chat(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9), lastLine, rs.getString(12),
                rs.getInt(13));
    }

    private static final String LINE_COLUMNS = "SELECT id, seq, role, swipes, swipe, rating, created_at, edited_at, "
            + "speaker_id FROM chat_messages ";

    /** A chat's messages, oldest first (the caller has checked whose chat it is). */
    List<ChatLine> lines(String chatId) {
        return jdbc.sql(LINE_COLUMNS + "WHERE chat_id = :c ORDER BY seq").param("c", chatId)
                .query((rs, i) -> line(rs)).list();
    }

    private ChatLine line(String chatId, String lineId) {
        return jdbc.sql(LINE_COLUMNS + "WHERE chat_id = :c AND id = :id").param("c", chatId).param("id", lineId)
                .query((rs, i) -> line(rs)).optional().orElseThrow(() -> CompanionException.notFound("The message"));
    }

    private ChatLine line(java.sql.ResultSet rs) throws java.sql.SQLException {
        int rating = rs.getInt(6);
        Integer r = rs.wasNull() ? null : rating;
        long edited = rs.getLong(8);
        Long e = rs.wasNull() ? null : edited;
        return new ChatLine(rs.getString(1), rs.getInt(2), rs.getString(3), json.readValue(rs.getString(4), STRINGS),
                rs.getInt(5), r, rs.getLong(7), e, rs.getString(9));
    }

    /**
     * Appends a message. Its number is taken in the same statement that writes it: on SQLite a transaction that
     * read first could not take the write lock later without failing, and two messages can never share a number.
     */
    private String insertLine(String chatId, String role, List<String> swipes, long now) {
        return insertLine(chatId, role, swipes, now, null);
    }

    private String insertLine(String chatId, String role, List<String> swipes, long now, @Nullable String speaker) {
        String id = Ids.next("msg");
        jdbc.sql("INSERT INTO chat_messages (id, chat_id, seq, role, swipes, swipe, created_at, speaker_id) "
                        + "SELECT :id, :c, COALESCE(MAX(seq), 0) + 1, :r, :s, 0, :now, :speaker FROM chat_messages "
                        + "WHERE chat_id = :c")
                .param("id", id).param("c", chatId).param("r", role)
                .param("s", json.writeValueAsString(swipes)).param("now", now).param("speaker", speaker).update();
        jdbc.sql("UPDATE chats SET updated_at = :now WHERE id = :c").param("now", now).param("c", chatId).update();
        return id;
    }

    private void updateSwipes(String chatId, String lineId, List<String> swipes, int swipe) {
        long now = clock.millis();
        jdbc.sql("UPDATE chat_messages SET swipes = :s, swipe = :i, rating = NULL WHERE id = :id")
                .param("s", json.writeValueAsString(swipes)).param("i", swipe).param("id", lineId).update();
        jdbc.sql("UPDATE chats SET updated_at = :now WHERE id = :c").param("now", now).param("c", chatId).update();
    }
}
