package dev.tandem.companion;

import org.jspecify.annotations.Nullable;

/**
 * A person's chat with a character.
 *
 * @param personaId the persona the person speaks as, or null for their default
 * @param lastLine  the newest line's shown text, for lists
 * @param authorsNote      the person's standing instruction for the story (blank: none)
 * @param authorsNoteDepth how many messages before the end of the chat it goes into the prompt
 */
public record Chat(String id, String personId, String characterId, String characterName,
        @Nullable String characterAvatarId, @Nullable String personaId, String title, long createdAt, long updatedAt,
        String lastLine, String authorsNote, int authorsNoteDepth) {
}
