package dev.tandem.companion.memory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The chats whose vectors are in memory, least recently used first out, within a number of chats and of rows.
 * Every write on this node goes through {@link #update} after it is committed, which bumps the chat's generation;
 * a snapshot loaded from the database is installed only if no write came in between ({@link #install}), so a load
 * racing a write never puts back what the write changed. All methods are atomic (one monitor, held briefly).
 */
final class RecallCache {

    private static final int STRIPES = 256;

    private final int maxChats;
    private final int maxRows;
    private final LinkedHashMap<String, ChatVectors> chats = new LinkedHashMap<>(16, 0.75f, true);
    private final long[] generations = new long[STRIPES];
    private int rows;

    RecallCache(int maxChats, int maxRows) {
        if (maxChats < 1) {
            throw new IllegalArgumentException("cachedChats must be at least 1, was " + maxChats);
        }
        this.maxChats = maxChats;
        this.maxRows = maxRows;
    }

    synchronized @Nullable ChatVectors get(String chatId) {
        return chats.get(chatId);
    }

    /** Read before loading a chat, and given back to {@link #install}. */
    synchronized long generation(String chatId) {
        return generations[stripe(chatId)];
    }

    /** Keeps {@code loaded} unless the chat was written since {@code generation} was read. */
    synchronized void install(String chatId, ChatVectors loaded, long generation) {
        if (generations[stripe(chatId)] == generation) {
            put(chatId, loaded);
        }
    }

    /** Marks {@code seen} as checked at {@code at}, if it is still the chat's snapshot. */
    synchronized void refresh(String chatId, ChatVectors seen, long at) {
        if (chats.get(chatId) == seen) {
            put(chatId, seen.checked(at));
        }
    }

    /** Applies a committed write to the chat's snapshot, if one is cached. */
    synchronized void update(String chatId, UnaryOperator<ChatVectors> change) {
        generations[stripe(chatId)]++;
        ChatVectors current = chats.get(chatId);
        if (current != null) {
            put(chatId, change.apply(current));
        }
    }

    synchronized void forget(String chatId) {
        generations[stripe(chatId)]++;
        ChatVectors gone = chats.remove(chatId);
        if (gone != null) {
            rows -= gone.size();
        }
    }

    /** Applies a committed write that may touch any chat. */
    synchronized void updateAll(UnaryOperator<ChatVectors> change) {
        for (int i = 0; i < STRIPES; i++) {
            generations[i]++;
        }
        for (Map.Entry<String, ChatVectors> e : chats.entrySet()) {
            ChatVectors changed = change.apply(e.getValue());
            rows += changed.size() - e.getValue().size();
            e.setValue(changed);
        }
    }

    synchronized int cachedChats() {
        return chats.size();
    }

    private void put(String chatId, ChatVectors v) {
        ChatVectors old = chats.put(chatId, v);
        rows += v.size() - (old == null ? 0 : old.size());
        Iterator<ChatVectors> eldest = chats.values().iterator();
        while ((chats.size() > maxChats || rows > maxRows) && chats.size() > 1) {
            rows -= eldest.next().size(); // the chat just put is the most recently used: it stays
            eldest.remove();
        }
    }

    private static int stripe(String chatId) {
        return Math.floorMod(chatId.hashCode(), STRIPES);
    }
}
