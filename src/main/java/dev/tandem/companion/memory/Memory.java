package dev.tandem.companion.memory;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One memory of a chat, as stored.
 *
 * @param id              {@code mem_…}
 * @param chatId          the chat it belongs to
 * @param personId        the person it is about or was written by
 * @param kind            where it came from
 * @param content         at most {@value ChatMemory#MAX_CONTENT} characters; facts speak of the person as
 *                        {@code {{user}}} and of the character as {@code {{char}}}, which the prompt builder expands
 * @param pinned          whether every recall includes it
 * @param sourceMessageId the person's message a fact came from, or the last message a summary covers; null for
 *                        notes and where the caller gave none
 * @param createdAt       epoch milliseconds
 * @param updatedAt       epoch milliseconds of the last edit or pin change
 */
public record Memory(String id, String chatId, String personId, Kind kind, String content, boolean pinned,
        @Nullable String sourceMessageId, long createdAt, long updatedAt) {

    public Memory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(content, "content");
    }

    /** Where a memory came from. None is a character's line: those are never stored. */
    public enum Kind {
        /** Extracted from the person's own message by a {@link FactExtractor}. */
        FACT,
        /** A summary of a stretch of the chat, written by a model elsewhere. */
        SUMMARY,
        /** Written by the person in the memory editor. */
        NOTE;

        /** The stored form: {@code fact}, {@code summary} or {@code note}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind ofCode(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
