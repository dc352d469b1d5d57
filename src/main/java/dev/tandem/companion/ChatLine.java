package dev.tandem.companion;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One message of a chat. A character's message keeps every alternative it was given (regenerations, or a card's
 * alternate greetings) and which one is shown.
 *
 * @param role   {@code user} or {@code char}
 * @param swipes the alternatives, at least one
 * @param swipe  the index of the shown one
 * @param rating 1 to 4 stars for the shown one, or null
 * @param speakerId the character who wrote it, in a group chat; null: the chat's character (or the person's line)
 */
public record ChatLine(String id, int seq, String role, List<String> swipes, int swipe, @Nullable Integer rating,
        long createdAt, @Nullable Long editedAt, @Nullable String speakerId) {

    public ChatLine {
        swipes = List.copyOf(swipes);
        if (swipes.isEmpty() || swipe < 0 || swipe >= swipes.size()) {
            throw new IllegalArgumentException("swipe " + swipe + " out of " + swipes.size());
        }
    }

    /** The shown text. */
    public String text() {
        return swipes.get(swipe);
    }

    public boolean fromCharacter() {
        return role.equals("char");
    }
}
