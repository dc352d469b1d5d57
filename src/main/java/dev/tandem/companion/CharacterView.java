package dev.tandem.companion;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A character as people see it: its card (every field, extensions and lorebook included) and what the app knows
 * around it.
 *
 * @param creatorHandle the creator's handle, or {@code deleted} when their account is gone
 */
public record CharacterView(String id, String creatorId, String creatorHandle, String creatorName, String name,
        String tagline, String visibility, String rating, @Nullable String avatarId, int version, int likes,
        int chats, long createdAt, long updatedAt, CharacterCard card) {

    public List<String> tags() {
        return card.tags();
    }

    /** The greeting and its alternatives, in order. */
    public List<String> greetings() {
        List<String> all = new java.util.ArrayList<>();
        all.add(card.firstMessage());
        all.addAll(card.alternateGreetings());
        return all.stream().filter(g -> !g.isBlank()).toList();
    }
}
