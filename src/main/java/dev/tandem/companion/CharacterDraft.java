package dev.tandem.companion;

import java.util.List;

/**
 * What a creator fills in for a character. Every text is untrusted: stored as given, shown only as text.
 *
 * @param visibility {@code public} (listed and searchable), {@code unlisted} (anyone with the link) or
 *                   {@code private} (the creator only)
 * @param rating     {@code everyone}, {@code teen} or {@code mature} (hidden from teens)
 */
public record CharacterDraft(String name, String tagline, String description, String personality, String scenario,
        String firstMessage, List<String> alternateGreetings, String exampleDialogues, String systemPrompt,
        String postHistoryInstructions, String creatorNotes, List<String> tags, String visibility, String rating) {

    public CharacterDraft {
        alternateGreetings = List.copyOf(alternateGreetings);
        tags = List.copyOf(tags);
    }
}
