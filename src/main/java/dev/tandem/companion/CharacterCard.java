package dev.tandem.companion;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A character card, whatever format it came in: its {@code data} object as the card carried it — every field,
 * known or not, and every {@code extensions} entry — so that writing it back loses nothing. The accessors read the
 * fields the app uses.
 *
 * @param sourceVersion the card's spec version as read: 1, 2 or 3
 * @param data          the card's {@code data} object (V2/V3 layout; a V1 card is lifted into it)
 * @param image         the card's picture (PNG bytes) when the file carried one, else null
 */
public record CharacterCard(int sourceVersion, ObjectNode data, byte @Nullable [] image) {

    public CharacterCard {
        Objects.requireNonNull(data, "data");
    }

    public String name() {
        return text("name");
    }

    public String description() {
        return text("description");
    }

    public String personality() {
        return text("personality");
    }

    public String scenario() {
        return text("scenario");
    }

    public String firstMessage() {
        return text("first_mes");
    }

    public String exampleDialogues() {
        return text("mes_example");
    }

    public String systemPrompt() {
        return text("system_prompt");
    }

    public String postHistoryInstructions() {
        return text("post_history_instructions");
    }

    public String creator() {
        return text("creator");
    }

    public List<String> alternateGreetings() {
        return strings("alternate_greetings");
    }

    public List<String> tags() {
        return strings("tags");
    }

    /** The embedded lorebook ({@code character_book}), or null. */
    public @Nullable JsonNode characterBook() {
        JsonNode b = data.get("character_book");
        return b == null || b.isNull() ? null : b;
    }

    private String text(String field) {
        JsonNode n = data.get(field);
        return n == null || n.isNull() ? "" : n.asString();
    }

    private List<String> strings(String field) {
        JsonNode n = data.get(field);
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(v -> out.add(v.asString()));
        }
        return out;
    }
}
