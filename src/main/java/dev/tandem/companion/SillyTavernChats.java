package dev.tandem.companion;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Chats in SillyTavern's file format (JSONL): a first line naming the person and the character
 * ({@code user_name}, {@code character_name}, {@code create_date}, {@code chat_metadata}), then one line per message
 * ({@code name}, {@code is_user}, {@code is_system}, {@code send_date}, {@code mes}, {@code swipes},
 * {@code swipe_id}, {@code extra}). A chat exported here imports into SillyTavern, and one exported there imports
 * here: hidden messages ({@code is_system}) are left out, every alternative of a character's message is kept.
 */
final class SillyTavernChats {

    static final int MAX_BYTES = 20 * 1024 * 1024;
    static final int MAX_MESSAGES = 10_000;
    static final int MAX_LINE = 20_000;

    /** One imported message. */
    record Line(String role, List<String> swipes, int swipe, long sentAt) {
    }

    /** An imported chat: who it names, and its messages, oldest first. */
    record Imported(String userName, String characterName, List<Line> lines) {
    }

    private SillyTavernChats() {
    }

    static byte[] write(JsonMapper json, Chat chat, String personaName, List<ChatLine> lines,
            java.util.function.Function<ChatLine, String> speaker) {
        StringBuilder out = new StringBuilder();
        ObjectNode head = json.createObjectNode();
        head.put("user_name", personaName);
        head.put("character_name", chat.characterName());
        head.put("create_date", Instant.ofEpochMilli(chat.createdAt()).toString());
        head.putObject("chat_metadata").put("note_prompt", chat.authorsNote()).put("note_depth",
                chat.authorsNoteDepth());
        out.append(json.writeValueAsString(head)).append('\n');
        for (ChatLine l : lines) {
            ObjectNode m = json.createObjectNode();
            m.put("name", l.fromCharacter() ? speaker.apply(l) : personaName);
            m.put("is_user", !l.fromCharacter());
            m.put("is_system", false);
            m.put("send_date", l.createdAt());
            m.put("mes", l.text());
            m.putObject("extra");
            if (l.fromCharacter()) {
                ArrayNode swipes = m.putArray("swipes");
                l.swipes().forEach(swipes::add);
                m.put("swipe_id", l.swipe());
            }
            out.append(json.writeValueAsString(m)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Imported read(JsonMapper json, byte[] file, long now) {
        if (file.length == 0) {
            throw invalid("The file is empty.");
        }
        if (file.length > MAX_BYTES) {
            throw invalid("The file is larger than " + (MAX_BYTES >> 20) + " MiB.");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("The file is not UTF-8 text: export the chat from SillyTavern as a .jsonl file.");
        }
        List<String> rows = text.lines().filter(r -> !r.isBlank()).toList();
        if (rows.isEmpty()) {
            throw invalid("The file is empty.");
        }
        JsonNode head = object(json, rows.getFirst(), 1);
        if (!head.has("user_name") || !head.has("character_name")) {
            throw invalid("Line 1 is not a SillyTavern chat header (it needs user_name and character_name).");
        }
        if (rows.size() - 1 > MAX_MESSAGES) {
            throw invalid("The chat has " + (rows.size() - 1) + " messages; at most " + MAX_MESSAGES
                    + " can be imported.");
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            JsonNode m = object(json, rows.get(i), i + 1);
            if (m.path("is_system").asBoolean(false)) {
                continue; // hidden from the model in SillyTavern: not part of the story
            }
            if (!m.path("is_user").isBoolean() || !m.path("mes").isString()) {
                throw invalid("Line " + (i + 1) + " is not a SillyTavern message (it needs is_user and mes).");
            }
            boolean user = m.path("is_user").asBoolean();
            List<String> swipes = new ArrayList<>();
            if (!user && m.path("swipes").isArray()) {
                m.path("swipes").forEach(s -> swipes.add(s.asString("")));
            }
            int swipe = m.path("swipe_id").asInt(0);
            if (swipes.isEmpty() || swipe < 0 || swipe >= swipes.size()) {
                swipes.clear();
                swipes.add(m.path("mes").asString());
                swipe = 0;
            }
            for (String s : swipes) {
                if (s.length() > MAX_LINE) {
                    throw invalid("Line " + (i + 1) + " has a message of " + s.length() + " characters; at most "
                            + MAX_LINE + " can be imported.");
                }
            }
            lines.add(new Line(user ? "user" : "char", swipes, swipe, sentAt(m.get("send_date"), now)));
        }
        if (lines.isEmpty()) {
            throw invalid("The chat has no messages.");
        }
        return new Imported(head.path("user_name").asString(""), head.path("character_name").asString(""), lines);
    }

    private static JsonNode object(JsonMapper json, String row, int number) {
        try {
            JsonNode n = json.readTree(row);
            if (n == null || !n.isObject()) {
                throw invalid("Line " + number + " is not a JSON object.");
            }
            return n;
        } catch (JacksonException e) {
            throw invalid("Line " + number + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** SillyTavern has written dates as epoch milliseconds, ISO-8601 and humanized text; the last becomes now. */
    private static long sentAt(@Nullable JsonNode date, long now) {
        if (date == null || date.isNull()) {
            return now;
        }
        if (date.isNumber()) {
            return date.asLong();
        }
        try {
            return Instant.parse(date.asString()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    private static CompanionException invalid(String message) {
        return CompanionException.invalid("file", message);
    }
}
