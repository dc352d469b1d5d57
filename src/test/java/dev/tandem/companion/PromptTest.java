package dev.tandem.companion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Lorebook activation, macro expansion and the context budget, as SillyTavern defines them. */
class PromptTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** One token per word: easy to reason about in a test. */
    static final ToIntFunction<String> WORDS = s -> s.isBlank() ? 0 : s.strip().split("\\s+").length;

    static Lorebook.Entry entry(String name, List<String> keys, String content) {
        return new Lorebook.Entry(name, keys, List.of(), Lorebook.Logic.AND_ANY, content, true, false, 100, 100,
                false, true, Lorebook.Position.BEFORE_CHAR, null, false, false, false);
    }

    static Lorebook book(int scanDepth, int budget, Lorebook.Entry... entries) {
        return new Lorebook(List.of(entries), scanDepth, budget, true);
    }

    static List<String> names(List<Lorebook.Entry> entries) {
        return entries.stream().map(Lorebook.Entry::name).toList();
    }

    @Test
    void keysMatchWholeWordsCaseInsensitivelyUnlessTheEntrySaysOtherwise() {
        Lorebook.Entry cat = entry("cat", List.of("cat"), "Cats purr.");
        assertThat(Lorebook.found(cat, "cat", "A CAT sat.")).isTrue();
        assertThat(Lorebook.found(cat, "cat", "a category")).isFalse();
        Lorebook.Entry partial = new Lorebook.Entry("p", List.of("cat"), List.of(), Lorebook.Logic.AND_ANY, "", true,
                false, 1, 1, false, false, Lorebook.Position.BEFORE_CHAR, null, false, false, false);
        assertThat(Lorebook.found(partial, "cat", "a category")).isTrue();
        Lorebook.Entry exact = new Lorebook.Entry("e", List.of("Rome"), List.of(), Lorebook.Logic.AND_ANY, "", true,
                false, 1, 1, true, true, Lorebook.Position.BEFORE_CHAR, null, false, false, false);
        assertThat(Lorebook.found(exact, "Rome", "in rome")).isFalse();
        assertThat(Lorebook.found(cat, "/dra(g|k)on/i", "a DRAKON flies")).isTrue();
    }

    @Test
    void secondaryKeysCombineAsTheEntrysLogicSays() {
        Lorebook.Entry andAny = new Lorebook.Entry("andAny", List.of("king"), List.of("crown", "throne"),
                Lorebook.Logic.AND_ANY, "x", true, false, 1, 1, false, true, Lorebook.Position.BEFORE_CHAR, null,
                false, false, false);
        Lorebook.Entry notAny = new Lorebook.Entry("notAny", List.of("king"), List.of("dead"), Lorebook.Logic.NOT_ANY,
                "y", true, false, 2, 2, false, true, Lorebook.Position.BEFORE_CHAR, null, false, false, false);
        Lorebook b = book(4, 1000, andAny, notAny);
        assertThat(names(b.activate(List.of("the king sits"), WORDS))).containsExactly("notAny");
        assertThat(names(b.activate(List.of("the king on his throne"), WORDS))).containsExactly("andAny", "notAny");
        assertThat(names(b.activate(List.of("the king is dead"), WORDS))).isEmpty();
    }

    @Test
    void onlyTheLatestMessagesWithinTheScanDepthActivate() {
        Lorebook b = book(2, 1000, entry("dragon", List.of("dragon"), "Dragons hoard gold."));
        assertThat(b.activate(List.of("a dragon!", "hello", "how are you"), WORDS)).isEmpty();
        assertThat(names(b.activate(List.of("hello", "a dragon!", "how are you"), WORDS))).containsExactly("dragon");
    }

    @Test
    void activatedEntriesActivateOthersUnlessTheySayNot() {
        Lorebook.Entry castle = entry("castle", List.of("castle"), "The castle belongs to the queen.");
        Lorebook.Entry queen = entry("queen", List.of("queen"), "The queen rules the north.");
        Lorebook.Entry north = new Lorebook.Entry("north", List.of("north"), List.of(), Lorebook.Logic.AND_ANY,
                "It snows.", true, false, 100, 100, false, true, Lorebook.Position.BEFORE_CHAR, null, true, false,
                false); // non-recursable: only a message can activate it
        Lorebook b = book(4, 1000, castle, queen, north);
        assertThat(names(b.activate(List.of("we reach the castle"), WORDS))).containsExactly("castle", "queen");
        assertThat(names(new Lorebook(b.entries(), 4, 1000, false).activate(List.of("we reach the castle"), WORDS)))
                .containsExactly("castle");
    }

    @Test
    void theBudgetTakesConstantEntriesFirstThenDirectHitsAndThenNothingMore() {
        Lorebook.Entry always = new Lorebook.Entry("always", List.of(), List.of(), Lorebook.Logic.AND_ANY,
                "one two three", true, true, 50, 100, false, true, Lorebook.Position.BEFORE_CHAR, null, false, false,
                false);
        Lorebook.Entry big = new Lorebook.Entry("big", List.of("sea"), List.of(), Lorebook.Logic.AND_ANY,
                "a b c d e f", true, false, 10, 200, false, true, Lorebook.Position.BEFORE_CHAR, null, false, false,
                false);
        Lorebook.Entry small = new Lorebook.Entry("small", List.of("sea"), List.of(), Lorebook.Logic.AND_ANY, "a b",
                true, false, 20, 100, false, true, Lorebook.Position.BEFORE_CHAR, null, false, false, false);
        // budget 10: constant (3) then the higher-priority hit (6) fit; the next (2) would not
        assertThat(names(book(4, 10, small, big, always).activate(List.of("to the sea"), WORDS)))
                .containsExactly("big", "always"); // out in insertion order
        assertThat(names(book(4, 2, always).activate(List.of("x"), WORDS))).isEmpty();
    }

    @Test
    void aSillyTavernWorldInfoFileActivatesOnItsKeys() throws Exception {
        Path file = CharacterCardsTest.FIXTURES.resolve("eldoria-worldinfo.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(file), "no fixture " + file);
        Lorebook eldoria = Lorebook.of(JSON.readTree(Files.readAllBytes(file)));
        assertThat(eldoria.entries()).hasSize(4);
        List<Lorebook.Entry> hits = eldoria.activate(List.of("Tell me about the Shadowfang beasts."), s -> 1);
        assertThat(hits).anyMatch(e -> e.keys().contains("shadowfang"));
        assertThat(eldoria.activate(List.of("Nice weather."), s -> 1)).isEmpty();
    }

    @Test
    void macrosExpandCaseInsensitivelyAndCommentsVanish() {
        Map<String, String> v = Map.of("char", "Seraphina", "user", "Ann", "original", "Be kind.");
        SplittableRandom r = new SplittableRandom(1);
        assertThat(Macros.expand("{{char}} greets {{USER}}. <BOT> and <user>.{{// hidden}} {{original}}", v, r))
                .isEqualTo("Seraphina greets Ann. Seraphina and Ann. Be kind.");
        assertThat(Macros.expand("{{random::red::blue}}", v, r)).isIn("red", "blue");
        assertThat(Macros.expand("{{random:red,blue}}", v, r)).isIn("red", "blue");
        assertThat(Macros.expand("{{unknown}} stays", v, r)).isEqualTo("{{unknown}} stays");
        assertThat(Macros.expand("{{user}}", Map.of("user", "{{char}}", "char", "X"), r)).isEqualTo("{{char}}");
    }

    static CharacterCard card() {
        ObjectNode d = JSON.createObjectNode();
        d.put("name", "Mira");
        d.put("description", "{{char}} is a lighthouse keeper.");
        d.put("personality", "patient");
        d.put("scenario", "A storm night with {{user}}.");
        d.put("mes_example", "<START>\n{{user}}: Hi\n{{char}}: Welcome to the light.");
        d.put("system_prompt", "{{original}} Stay in character.");
        d.put("post_history_instructions", "Answer as {{char}} in two sentences.");
        d.put("creator_notes", "SECRET NOTES");
        ObjectNode book = d.putObject("character_book");
        ObjectNode e = book.putArray("entries").addObject();
        e.putArray("keys").add("lighthouse");
        e.put("content", "The lighthouse was built in 1890.");
        e.put("enabled", true);
        e.put("insertion_order", 1);
        return new CharacterCard(2, d, null);
    }

    @Test
    void thePromptFollowsTheOrderExpandsMacrosAndKeepsCreatorNotesOut() {
        PromptBuilder.Prompt p = PromptBuilder.build(card(), new PromptBuilder.Persona("Ann", "a sailor"),
                List.of(new PromptBuilder.Turn("user", "Is the lighthouse old?")), null, 4096, 256, WORDS,
                "You are a helpful role-play partner.", new SplittableRandom(1));
        String system = p.messages().getFirst().text();
        assertThat(system).startsWith("You are a helpful role-play partner. Stay in character.");
        assertThat(system).contains("The lighthouse was built in 1890.", "Mira is a lighthouse keeper.",
                "Mira's personality: patient", "A storm night with Ann.", "Ann: a sailor", "Mira: Welcome");
        assertThat(system.indexOf("1890")).isLessThan(system.indexOf("lighthouse keeper"));
        assertThat(String.join("\n", p.messages().stream().map(PromptBuilder.Message::text).toList()))
                .doesNotContain("SECRET");
        assertThat(p.messages().getLast()).isEqualTo(new PromptBuilder.Message("system",
                "Answer as Mira in two sentences."));
        assertThat(p.messages().get(1)).isEqualTo(new PromptBuilder.Message("user", "Is the lighthouse old?"));
        assertThat(p.examplesKept()).isTrue();
        assertThat(p.droppedTurns()).isZero();
    }

    @Test
    void whenTheContextIsShortExamplesGoFirstThenTheOldestTurns() {
        List<PromptBuilder.Turn> history = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            history.add(new PromptBuilder.Turn(i % 2 == 0 ? "user" : "assistant", "turn " + i + " has five words"));
        }
        PromptBuilder.Persona persona = new PromptBuilder.Persona("Ann", "");
        PromptBuilder.Prompt roomy = PromptBuilder.build(card(), persona, history, null, 4096, 100, WORDS, "Sys.",
                new SplittableRandom(1));
        assertThat(roomy.examplesKept()).isTrue();
        assertThat(roomy.droppedTurns()).isZero();

        PromptBuilder.Prompt tight = PromptBuilder.build(card(), persona, history, null, 200, 50, WORDS, "Sys.",
                new SplittableRandom(1));
        assertThat(tight.examplesKept()).isFalse();
        assertThat(tight.droppedTurns()).isPositive();
        assertThat(tight.tokens()).isLessThanOrEqualTo(150);
        // the newest turns stay, in order, ending with the one to answer
        List<PromptBuilder.Message> turns = tight.messages().subList(1, tight.messages().size() - 1);
        assertThat(turns.getLast().text()).isEqualTo("turn 39 has five words");
        assertThat(turns.getFirst().text()).isEqualTo("turn " + tight.droppedTurns() + " has five words");

        PromptBuilder.Prompt tiny = PromptBuilder.build(card(), persona, history, null, 10, 5, WORDS, "Sys.",
                new SplittableRandom(1));
        assertThat(tiny.messages().get(1).text()).isEqualTo("turn 39 has five words"); // the latest always stays
    }

    @Test
    void anAuthorsNoteGoesInAtItsDepthAndCountsAgainstTheBudget() {
        CharacterCard card = new CharacterCard(3, (tools.jackson.databind.node.ObjectNode) JSON.readTree(
                "{\"name\":\"Ann\",\"description\":\"A guide.\"}"), null);
        List<PromptBuilder.Turn> history = List.of(new PromptBuilder.Turn("user", "one two"),
                new PromptBuilder.Turn("assistant", "three four"), new PromptBuilder.Turn("user", "five six"));
        PromptBuilder.Persona pat = new PromptBuilder.Persona("Pat", "");
        PromptBuilder.Prompt deep = PromptBuilder.build(card, pat, history, null, List.of(),
                new PromptBuilder.AuthorsNote("{{char}} whispers.", 1), 1000, 10, WORDS, "Play {{char}}.",
                new java.util.Random(1));
        assertThat(deep.messages()).extracting(PromptBuilder.Message::text).containsExactly(
                deep.messages().getFirst().text(), "one two", "three four", "Ann whispers.", "five six");
        PromptBuilder.Prompt atEnd = PromptBuilder.build(card, pat, history, null, List.of(),
                new PromptBuilder.AuthorsNote("Keep it short.", 0), 1000, 10, WORDS, "Play {{char}}.",
                new java.util.Random(1));
        assertThat(atEnd.messages().getLast().text()).isEqualTo("Keep it short.");
        PromptBuilder.Prompt deeper = PromptBuilder.build(card, pat, history, null, List.of(),
                new PromptBuilder.AuthorsNote("Before all.", 50), 1000, 10, WORDS, "Play {{char}}.",
                new java.util.Random(1));
        assertThat(deeper.messages().get(1).text()).isEqualTo("Before all.");
        // the note's two words push the oldest turn out of a budget that fits exactly the rest
        int rest = deep.tokens() - 2;
        PromptBuilder.Prompt tight = PromptBuilder.build(card, pat, history, null, List.of(),
                new PromptBuilder.AuthorsNote("Be kind.", 4), rest + 10, 10, WORDS, "Play {{char}}.",
                new java.util.Random(1));
        assertThat(tight.droppedTurns()).isEqualTo(1);
        assertThat(tight.messages()).extracting(PromptBuilder.Message::text).contains("Be kind.")
                .doesNotContain("one two");
    }
}

