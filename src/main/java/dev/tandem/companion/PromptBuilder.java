package dev.tandem.companion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Assembles the prompt of one reply within the model's context budget, in SillyTavern's order: the system prompt
 * (the card's own, where {@code {{original}}} is the default one), lorebook entries that go before the character,
 * the character (description, personality, scenario), entries that go after it, the persona, the example
 * dialogues, the chat history, and last the card's post-history instructions. Macros are expanded everywhere.
 * When the budget is short, the example dialogues go first, then the oldest turns; the latest turn always stays.
 * The card's creator notes, tags and creator never reach the prompt.
 */
public final class PromptBuilder {

    /** A turn of the chat: {@code user} or {@code assistant}. */
    public record Turn(String role, String text) {
    }

    /** How the person presents to the character. */
    public record Persona(String name, String description) {
    }

    /** One message of the prompt: {@code system}, {@code user} or {@code assistant}. */
    public record Message(String role, String text) {
    }

    /**
     * An assembled prompt.
     *
     * @param messages     what goes to the model, in order
     * @param tokens       their tokens, as counted
     * @param droppedTurns the oldest turns left out for the budget
     * @param examplesKept whether the example dialogues fit
     * @param lore         the lorebook entries that went in
     */
    public record Prompt(List<Message> messages, int tokens, int droppedTurns, boolean examplesKept,
            List<Lorebook.Entry> lore) {
    }

    private PromptBuilder() {
    }

    /**
     * @param history       the chat so far, oldest first, ending with the turn to answer
     * @param extraLore     a lorebook beside the card's own (e.g. a world), or null
     * @param contextTokens the model's context window
     * @param replyTokens   what to keep free for the reply
     * @param tokens        counts a text's tokens
     * @param systemPrompt  the default system prompt
     */
    public static Prompt build(CharacterCard card, Persona persona, List<Turn> history, @Nullable Lorebook extraLore,
            int contextTokens, int replyTokens, ToIntFunction<String> tokens, String systemPrompt,
            RandomGenerator random) {
        return build(card, persona, history, extraLore, List.of(), contextTokens, replyTokens, tokens, systemPrompt,
                random);
    }

    /**
     * As above, with long-term memories: what the character remembers of this chat beyond the history that fits
     * (facts about the person, summaries of earlier stretches). They go into the system message after the
     * persona, in the given order (the most relevant first), and count against the budget before the history.
     */
    public static Prompt build(CharacterCard card, Persona persona, List<Turn> history, @Nullable Lorebook extraLore,
            List<String> memories, int contextTokens, int replyTokens, ToIntFunction<String> tokens,
            String systemPrompt, RandomGenerator random) {
        return build(card, persona, history, extraLore, memories, AuthorsNote.NONE, contextTokens, replyTokens, tokens,
                systemPrompt, random);
    }

    /**
     * A chat's author's note, as SillyTavern places it "in chat @ depth": a system message {@code depth} messages
     * before the end of the history that is sent (0: after the last one; deeper than what is sent: right after the
     * system message). Macros are expanded in it, and it counts against the budget before the history.
     */
    public record AuthorsNote(String text, int depth) {
        public static final AuthorsNote NONE = new AuthorsNote("", 4);
        public static final int MAX_TEXT = 2000;
        public static final int MAX_DEPTH = 100;

        public AuthorsNote {
            if (text.length() > MAX_TEXT) {
                throw new IllegalArgumentException("an author's note has at most " + MAX_TEXT + " characters");
            }
            if (depth < 0 || depth > MAX_DEPTH) {
                throw new IllegalArgumentException("an author's note's depth is 0 to " + MAX_DEPTH + ", was " + depth);
            }
        }
    }

    /** As above, with the chat's author's note. */
    public static Prompt build(CharacterCard card, Persona persona, List<Turn> history, @Nullable Lorebook extraLore,
            List<String> memories, AuthorsNote note, int contextTokens, int replyTokens, ToIntFunction<String> tokens,
            String systemPrompt, RandomGenerator random) {
        Map<String, String> values = new HashMap<>();
        String nickname = card.data().path("nickname").asString("");
        values.put("char", nickname.isBlank() ? card.name() : nickname);
        values.put("user", persona.name());
        values.put("description", card.description());
        values.put("personality", card.personality());
        values.put("scenario", card.scenario());
        values.put("persona", persona.description());
        values.put("mesexamples", card.exampleDialogues());
        values.put("original", systemPrompt);

        List<String> scanned = history.stream().map(Turn::text).toList();
        List<Lorebook.Entry> lore = new ArrayList<>();
        if (card.characterBook() != null) {
            lore.addAll(Lorebook.of(card.characterBook()).activate(scanned, tokens)); // the card's book comes first
        }
        if (extraLore != null) {
            extraLore.activate(scanned, tokens).stream().filter(e -> !lore.contains(e)).forEach(lore::add);
        }

        StringBuilder system = new StringBuilder();
        append(system, card.systemPrompt().isBlank() ? systemPrompt : card.systemPrompt());
        lore.stream().filter(e -> e.position() == Lorebook.Position.BEFORE_CHAR).forEach(e -> append(system,
                e.content()));
        append(system, card.description());
        if (!card.personality().isBlank()) {
            append(system, "{{char}}'s personality: " + card.personality());
        }
        if (!card.scenario().isBlank()) {
            append(system, "Scenario: " + card.scenario());
        }
        lore.stream().filter(e -> e.position() == Lorebook.Position.AFTER_CHAR).forEach(e -> append(system,
                e.content()));
        if (!persona.description().isBlank()) {
            append(system, "{{user}}: " + persona.description());
        }
        if (!memories.isEmpty()) {
            StringBuilder remembered = new StringBuilder("What {{char}} remembers from earlier in this chat:");
            memories.forEach(m -> remembered.append("\n- ").append(m.strip()));
            append(system, remembered.toString());
        }
        String head = Macros.expand(system.toString().strip(), values, random);
        String examples = card.exampleDialogues().isBlank() ? ""
                : Macros.expand("Example dialogues:\n" + card.exampleDialogues().strip(), values, random);
        String tail = card.postHistoryInstructions().isBlank() ? ""
                : Macros.expand(card.postHistoryInstructions(), values, random);
        String noteText = note.text().isBlank() ? "" : Macros.expand(note.text().strip(), values, random);

        int budget = contextTokens - replyTokens;
        int fixed = tokens.applyAsInt(head) + (tail.isEmpty() ? 0 : tokens.applyAsInt(tail))
                + (noteText.isEmpty() ? 0 : tokens.applyAsInt(noteText));
        List<String> turns = history.stream().map(t -> Macros.expand(t.text(), values, random)).toList();
        int[] cost = turns.stream().mapToInt(tokens).toArray();
        int historyTokens = 0;
        for (int c : cost) {
            historyTokens += c;
        }
        int exampleTokens = examples.isEmpty() ? 0 : tokens.applyAsInt(examples);
        boolean examplesKept = !examples.isEmpty() && fixed + exampleTokens + historyTokens <= budget;
        int used = fixed + (examplesKept ? exampleTokens : 0) + historyTokens;
        int first = 0;
        while (used > budget && first < turns.size() - 1) { // the oldest turns go; the latest always stays
            used -= cost[first];
            first++;
        }

        List<Message> messages = new ArrayList<>();
        messages.add(new Message("system", examplesKept ? head + "\n\n" + examples : head));
        for (int i = first; i < turns.size(); i++) {
            messages.add(new Message(history.get(i).role(), turns.get(i)));
        }
        if (!noteText.isEmpty()) {
            int sent = turns.size() - first;
            messages.add(1 + Math.max(0, sent - note.depth()), new Message("system", noteText));
        }
        if (!tail.isEmpty()) {
            messages.add(new Message("system", tail));
        }
        return new Prompt(messages, used, first, examplesKept, List.copyOf(lore));
    }

    private static void append(StringBuilder b, String part) {
        if (!part.isBlank()) {
            b.append(part.strip()).append("\n\n");
        }
    }
}
