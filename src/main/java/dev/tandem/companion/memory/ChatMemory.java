package dev.tandem.companion.memory;

import dev.tandem.identity.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The long-term memory of companion chats: what the person told about themselves, summaries and the person's own
 * notes, recalled by meaning.
 * <ul>
 * <li><b>Only the person's words go in.</b> {@link #observe} takes the text the person wrote and stores the facts a
 * {@link FactExtractor} finds in it, rewritten in the third person; there is no way to store a character's line, and
 * the raw message is never stored (recalled bot lines are how companions fall into repetition loops).</li>
 * <li><b>No near-duplicates.</b> A fact whose embedding has cosine similarity of at least {@value #DUPLICATE} to a
 * memory the chat already has is not stored again. Measured with all-MiniLM-L6-v2: rewordings ("I love hiking" /
 * "I really love hiking") score 0.96 and more; different facts of the same shape score 0.89 at most ("I'm 34" /
 * "I'm 35"), 0.85 ("my dog" / "my cat is called Biscuit"), 0.80 ("love" / "hate hiking").</li>
 * <li><b>Updates replace.</b> A fact about something that holds one value at a time ({@link FactSlots}: where the
 * person lives, works, comes from, their age, "my X is Y", how they feel about one thing) replaces the chat's older
 * facts about the same thing: "I live in York" after "I live in Leeds" leaves one fact, York (a rewording of the
 * same fact is a near-duplicate, and the older words stay). Pinned facts are the person's choice and stay.</li>
 * <li><b>Recall.</b> {@link #recall} returns every pinned memory, then the best matches to the query with cosine
 * similarity of at least {@value #MIN_SCORE} (SillyTavern's default), never two near-duplicates. Embeddings are
 * of the content as the person would say it ({@code {{user}}} read as "I", {@code {{char}}} as "you"), because
 * queries are the person's own words: "what is my dog's name?" scores 0.64 against the Biscuit fact this way, 0.51
 * against its third-person form.</li>
 * <li><b>Cache.</b> Each recalled chat's vectors are kept in one contiguous matrix and scored by brute force (10,000
 * memories: about 1 ms on 2 cores; a whole recall with the query's embedding, 3.4 ms median in
 * {@code bench/memory.sh}), for at most {@value #CACHED_CHATS} chats and {@value #CACHED_ROWS} memories (1.5 KiB of
 * floats each, so about 150 MB at most), least recently used out. Writes on this node update the cached chat at once. Writes on another node (several
 * Tandem nodes on one PostgreSQL) are seen once the entry is older than the TTL (30 s by default): then one
 * count-and-sum query over the chat's index tells whether it changed, and only then is it reloaded.</li>
 * </ul>
 * Arguments are checked first: ids must be non-blank and at most {@value #MAX_ID} characters, memory texts non-blank
 * and at most {@value #MAX_CONTENT}, the person's message and queries at most {@value #MAX_MESSAGE}; a breach is an
 * {@link IllegalArgumentException} that names the field and the rule, and nothing is written. Thread-safe: writes to
 * one chat are serialized on this node.
 */
@Component
public final class ChatMemory {

    public static final int MAX_CONTENT = 1000;
    public static final int MAX_MESSAGE = 20_000;
    public static final int MAX_ID = 64;
    public static final int MAX_RECALL = 100;
    public static final float DUPLICATE = 0.92f;
    public static final float MIN_SCORE = 0.25f;
    /**
     * Facts of one slot score at least this much with each other: 0.42 at the least measured ("lives in Leeds" /
     * "moved to York last year"), 0.5 to 0.89 for the others in {@code FactSlotsTest}.
     */
    static final float SAME_SUBJECT = 0.3f;
    public static final int CACHED_CHATS = 64;
    public static final int CACHED_ROWS = 100_000;
    public static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ChatMemory.class);

    private final MemoryRows rows;
    private final Embedder embedder;
    private final Clock clock;
    private final FactExtractor extractor;
    private final long ttlMillis;
    private final RecallCache cache;
    private final ReentrantLock[] locks = new ReentrantLock[64];

    /** With the rule-based {@link SelfDisclosureExtractor} and the default cache. */
    @Autowired
    public ChatMemory(JdbcClient jdbc, Embedder embedder, Clock clock) {
        this(jdbc, embedder, clock, new SelfDisclosureExtractor(), CACHE_TTL, CACHED_CHATS);
    }

    public ChatMemory(JdbcClient jdbc, Embedder embedder, Clock clock, FactExtractor extractor, Duration cacheTtl,
            int cachedChats) {
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative, was " + cacheTtl);
        }
        this.rows = new MemoryRows(Objects.requireNonNull(jdbc, "jdbc"));
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.ttlMillis = cacheTtl.toMillis();
        this.cache = new RecallCache(cachedChats, CACHED_ROWS);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * Stores the facts the person's message tells about them, skipping near-duplicates of what the chat already
     * has.
     *
     * @param messageId the message, kept as each fact's source; null when it has no id
     * @param userText  what the person wrote; never a character's line
     * @return the facts stored, in the message's order; empty when it told nothing new about the person
     */
    public List<Memory> observe(String chatId, String personId, @Nullable String messageId, String userText) {
        Checks.id("chatId", chatId);
        Checks.id("personId", personId);
        if (messageId != null) {
            Checks.id("messageId", messageId);
        }
        Checks.text("userText", userText, MAX_MESSAGE);
        List<String> facts = new ArrayList<>();
        for (String fact : extractor.extract(userText)) {
            if (fact.isBlank() || fact.length() > MAX_CONTENT) {
                log.warn("fact extractor {} gave a fact of {} characters: skipped", extractor, fact.length());
            } else {
                facts.add(fact.strip());
            }
        }
        if (facts.isEmpty()) {
            return List.of();
        }
        List<float[]> vectors = facts.stream().map(f -> embedder.embed(keyText(f))).toList();
        return locked(chatId, () -> {
            ChatVectors known = vectors(chatId);
            List<MemoryRows.Row> fresh = new ArrayList<>();
            Set<String> replaced = new HashSet<>();
            long now = clock.millis();
            for (int i = 0; i < facts.size(); i++) {
                String fact = facts.get(i);
                float[] v = vectors.get(i);
                Optional<String> slot = FactSlots.of(fact);
                for (int row = 0; slot.isPresent() && row < known.size(); row++) {
                    Memory m = known.memory(row);
                    if (m.kind() != Memory.Kind.FACT || m.pinned()) {
                        continue;
                    }
                    // about the same thing (the slot's rules only run on facts close enough: cheap on 10,000
                    // memories), and not the same fact reworded ("loves" / "really loves hiking")
                    float similarity = known.similarity(v, row);
                    if (similarity >= SAME_SUBJECT && similarity < DUPLICATE
                            && FactSlots.of(m.content()).equals(slot)) {
                        replaced.add(m.id());
                    }
                }
                boolean seen = known.bestSimilarity(v, m -> replaced.contains(m.id())) >= DUPLICATE
                        || fresh.stream().anyMatch(r -> Vectors.dot(v, r.vector(), 0) >= DUPLICATE);
                if (!seen) {
                    fresh.add(new MemoryRows.Row(new Memory(newId(), chatId, personId, Memory.Kind.FACT, fact,
                            false, messageId, now, now), v));
                }
            }
            List<Memory> stored = store(chatId, fresh); // first: a failure between leaves both, never neither
            for (String id : replaced) {
                rows.delete(chatId, id);
            }
            if (!replaced.isEmpty()) {
                cache.update(chatId, c -> c.removed(m -> replaced.contains(m.id())));
            }
            return stored;
        });
    }

    /**
     * Stores a summary of the chat that a model wrote.
     *
     * @param upToMessageId the last message the summary covers, or null
     */
    public Memory addSummary(String chatId, String personId, String text, @Nullable String upToMessageId) {
        if (upToMessageId != null) {
            Checks.id("upToMessageId", upToMessageId);
        }
        return add(chatId, personId, Memory.Kind.SUMMARY, text, upToMessageId);
    }

    /** Stores a note the person wrote themselves. */
    public Memory note(String chatId, String personId, String text) {
        return add(chatId, personId, Memory.Kind.NOTE, text, null);
    }

    /** Replaces a memory's text and embedding; empty when the chat has no such memory. */
    public Optional<Memory> edit(String chatId, String memoryId, String text) {
        Checks.id("chatId", chatId);
        Checks.id("memoryId", memoryId);
        Checks.text("text", text, MAX_CONTENT);
        float[] v = embedder.embed(keyText(text));
        return locked(chatId, () -> {
            if (!rows.updateContent(chatId, memoryId, text, v, clock.millis())) {
                return Optional.empty();
            }
            Memory edited = rows.find(chatId, memoryId).orElseThrow();
            cache.update(chatId, c -> c.replaced(edited, v));
            return Optional.of(edited);
        });
    }

    /** Pins a memory (every recall includes it) or unpins it; false when the chat has no such memory. */
    public boolean pin(String chatId, String memoryId, boolean pinned) {
        Checks.id("chatId", chatId);
        Checks.id("memoryId", memoryId);
        return locked(chatId, () -> {
            if (!rows.updatePinned(chatId, memoryId, pinned, clock.millis())) {
                return false;
            }
            Memory changed = rows.find(chatId, memoryId).orElseThrow();
            cache.update(chatId, c -> c.replaced(changed, null));
            return true;
        });
    }

    /** Deletes one memory; false when the chat has no such memory. */
    public boolean delete(String chatId, String memoryId) {
        Checks.id("chatId", chatId);
        Checks.id("memoryId", memoryId);
        return locked(chatId, () -> {
            boolean deleted = rows.delete(chatId, memoryId);
            cache.update(chatId, c -> c.removed(m -> m.id().equals(memoryId)));
            return deleted;
        });
    }

    /**
     * Copies into a new chat (a branch of {@code fromChatId}) the memories that belong to the part it copied: those
     * whose source message is one of {@code messages} (their ids in the new chat are its values), and the person's
     * notes, which have no source. Embeddings are copied, not computed again. Returns how many were copied.
     */
    public int copy(String fromChatId, String toChatId, java.util.Map<String, String> messages) {
        Checks.id("fromChatId", fromChatId);
        Checks.id("toChatId", toChatId);
        ChatVectors from = vectors(fromChatId);
        List<MemoryRows.Row> copied = new ArrayList<>();
        for (int row = 0; row < from.size(); row++) {
            Memory m = from.memory(row);
            String source = m.sourceMessageId();
            boolean belongs = source == null ? m.kind() == Memory.Kind.NOTE : messages.containsKey(source);
            if (belongs) {
                copied.add(new MemoryRows.Row(new Memory(newId(), toChatId, m.personId(), m.kind(), m.content(),
                        m.pinned(), source == null ? null : messages.get(source), m.createdAt(), m.updatedAt()),
                        from.vector(row)));
            }
        }
        return locked(toChatId, () -> store(toChatId, copied)).size();
    }

    /** Deletes all of a chat's memories (when the chat is deleted); returns how many there were. */
    public int deleteChat(String chatId) {
        Checks.id("chatId", chatId);
        return locked(chatId, () -> {
            int n = rows.deleteChat(chatId);
            cache.forget(chatId);
            return n;
        });
    }

    /** Deletes every memory of a person in every chat (account deletion); returns how many there were. */
    public int deletePerson(String personId) {
        Checks.id("personId", personId);
        int n = rows.deletePerson(personId);
        cache.updateAll(c -> c.removed(m -> m.personId().equals(personId)));
        return n;
    }

    /** A chat's memories for the memory editor: pinned first, then newest first. */
    public List<Memory> list(String chatId) {
        Checks.id("chatId", chatId);
        return rows.list(chatId);
    }

    /** Every memory of a person, for a data export: chat by chat, oldest first. */
    public List<Memory> listForPerson(String personId) {
        Checks.id("personId", personId);
        return rows.listForPerson(personId);
    }

    /**
     * What the chat remembers for a person's message ({@code query}): recalled sentence by sentence (its last three) and as a whole,
     * each memory kept once at its best score: every pinned one, then at most {@code limit} others, most similar
     * first.
     * One sentence about the dog and another about the weather each dilute the other's similarity when embedded
     * together; taken apart, each finds its own memories.
     */
    public List<Recalled> recallForTurn(String chatId, String query, int limit) {
        if (query.isBlank()) {
            return List.of();
        }
        List<String> sentences = new java.util.ArrayList<>();
        for (String s : query.split("(?<=[.!?])\\s+")) {
            if (!s.isBlank()) {
                sentences.add(s.strip());
            }
        }
        if (sentences.size() > 1) {
            sentences = new java.util.ArrayList<>(sentences.subList(Math.max(0, sentences.size() - 3),
                    sentences.size()));
            sentences.add(query);
        }
        java.util.Map<String, Recalled> best = new java.util.LinkedHashMap<>();
        for (String sentence : sentences) {
            for (Recalled r : recall(chatId, sentence.length() > MAX_MESSAGE ? sentence.substring(0, MAX_MESSAGE)
                    : sentence, limit)) {
                best.merge(r.memory().id(), r, (a, b) -> a.score() >= b.score() ? a : b);
            }
        }
        List<Recalled> out = new java.util.ArrayList<>(best.values().stream().filter(r -> r.memory().pinned())
                .toList());
        best.values().stream().filter(r -> !r.memory().pinned())
                .sorted(java.util.Comparator.comparing((Recalled r) -> -r.score())).limit(limit).forEach(out::add);
        return out;
    }

    /**
     * What the chat remembers that bears on {@code query} (typically the person's latest message): every pinned
     * memory, newest first, then at most {@code limit} others, most similar first, each with similarity of at least
     * {@value #MIN_SCORE} and none a near-duplicate of one before it.
     *
     * @param limit 1 to {@value #MAX_RECALL}; pinned memories do not count against it
     */
    public List<Recalled> recall(String chatId, String query, int limit) {
        Checks.id("chatId", chatId);
        Checks.text("query", query, MAX_MESSAGE);
        if (limit < 1 || limit > MAX_RECALL) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_RECALL + ", was " + limit);
        }
        ChatVectors chat = vectors(chatId);
        if (chat.size() == 0) {
            return List.of();
        }
        return chat.recall(embedder.embed(query), limit, MIN_SCORE, DUPLICATE);
    }

    private Memory add(String chatId, String personId, Memory.Kind kind, String text, @Nullable String source) {
        Checks.id("chatId", chatId);
        Checks.id("personId", personId);
        Checks.text("text", text, MAX_CONTENT);
        float[] v = embedder.embed(keyText(text));
        long now = clock.millis();
        Memory m = new Memory(newId(), chatId, personId, kind, text, false, source, now, now);
        return locked(chatId, () -> store(chatId, List.of(new MemoryRows.Row(m, v)))).getFirst();
    }

    private List<Memory> store(String chatId, List<MemoryRows.Row> fresh) {
        rows.insert(fresh);
        cache.update(chatId, c -> {
            for (MemoryRows.Row r : fresh) {
                c = c.appended(r.memory(), r.vector());
            }
            return c;
        });
        return fresh.stream().map(MemoryRows.Row::memory).toList();
    }

    /** The chat's snapshot: the cached one while fresh or unchanged in the database, else loaded. */
    private ChatVectors vectors(String chatId) {
        long now = clock.millis();
        ChatVectors cached = cache.get(chatId);
        if (cached != null && now - cached.checkedAt() < ttlMillis) {
            return cached;
        }
        long generation = cache.generation(chatId);
        if (cached != null && rows.fingerprint(chatId).equals(cached.fingerprint())) {
            cache.refresh(chatId, cached, now);
            return cached;
        }
        ChatVectors loaded = rows.load(chatId, now);
        cache.install(chatId, loaded, generation);
        return loaded;
    }

    private <T> T locked(String chatId, Supplier<T> write) {
        ReentrantLock lock = locks[Math.floorMod(chatId.hashCode(), locks.length)];
        lock.lock();
        try {
            return write.get();
        } finally {
            lock.unlock();
        }
    }

    /** The text that is embedded: the content as the person would say it. */
    static String keyText(String content) {
        return content.replace("{{user}}'s", "my").replace("{{user}}", "I").replace("{{char}}'s", "your")
                .replace("{{char}}", "you");
    }

    private static String newId() {
        return Ids.next("mem");
    }
}
