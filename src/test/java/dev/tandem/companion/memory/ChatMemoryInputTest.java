package dev.tandem.companion.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input to {@link ChatMemory}: the error names the field and the rule, and nothing is written. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatMemoryInputTest {

    static final String CHAT = "cht_input";
    static final String LONG = "x".repeat(1001);

    MemoryDatabase db;
    ChatMemory memory;
    Memory existing;

    @BeforeAll
    void start() throws Exception {
        db = MemoryDatabase.sqlite();
        memory = new ChatMemory(db.jdbc(), ChatMemoryContract.EMBEDDER, new TestClock());
        existing = memory.note(CHAT, "psn_a", "{{user}} likes kites");
    }

    @AfterAll
    void stop() {
        db.close();
    }

    Stream<Arguments> badCalls() {
        String id = existing.id();
        return Stream.of(
                bad("observe with a blank chat", m -> m.observe(" ", "psn_a", null, "I love kites"),
                        "chatId must not be blank"),
                bad("observe with a long chat id", m -> m.observe("c".repeat(65), "psn_a", null, "I love kites"),
                        "chatId must be at most 64 characters, was 65"),
                bad("observe with a blank person", m -> m.observe(CHAT, "", null, "I love kites"),
                        "personId must not be blank"),
                bad("observe with a long message id", m -> m.observe(CHAT, "psn_a", "m".repeat(70), "I love kites"),
                        "messageId must be at most 64 characters, was 70"),
                bad("observe with empty text", m -> m.observe(CHAT, "psn_a", null, ""), "userText must not be blank"),
                bad("observe with a huge message", m -> m.observe(CHAT, "psn_a", null, "I love kites. ".repeat(1500)),
                        "userText must be at most 20000 characters, was 21000"),
                bad("a blank note", m -> m.note(CHAT, "psn_a", "  \n"), "text must not be blank"),
                bad("a note over 1000 characters", m -> m.note(CHAT, "psn_a", LONG),
                        "text must be at most 1000 characters, was 1001"),
                bad("a summary over 1000 characters", m -> m.addSummary(CHAT, "psn_a", LONG, "msg_1"),
                        "text must be at most 1000 characters, was 1001"),
                bad("a summary with a blank message id", m -> m.addSummary(CHAT, "psn_a", "A summary.", ""),
                        "upToMessageId must not be blank"),
                bad("an edit to empty text", m -> m.edit(CHAT, id, ""), "text must not be blank"),
                bad("an edit over 1000 characters", m -> m.edit(CHAT, id, LONG),
                        "text must be at most 1000 characters, was 1001"),
                bad("an edit with a blank memory id", m -> m.edit(CHAT, " ", "kites"), "memoryId must not be blank"),
                bad("a pin with a blank memory id", m -> m.pin(CHAT, "", true), "memoryId must not be blank"),
                bad("a delete with a blank chat", m -> m.delete("", id), "chatId must not be blank"),
                bad("a recall with a blank query", m -> m.recall(CHAT, " ", 5), "query must not be blank"),
                bad("a recall of 0", m -> m.recall(CHAT, "kites", 0), "limit must be between 1 and 100, was 0"),
                bad("a recall of 101", m -> m.recall(CHAT, "kites", 101), "limit must be between 1 and 100, was 101"),
                bad("deleting a blank person", m -> m.deletePerson(""), "personId must not be blank"),
                bad("listing a blank chat", m -> m.list(" "), "chatId must not be blank"));
    }

    static Arguments bad(String name, Consumer<ChatMemory> call, String message) {
        return Arguments.of(name, call, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void rejectsBadInputNamingTheFieldAndTheRule(String name, Consumer<ChatMemory> call, String message) {
        assertThatThrownBy(() -> call.accept(memory)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThat(memory.list(CHAT)).as("nothing written or lost").containsExactly(existing);
    }

    @Test
    void noPublicMethodTakesACharactersLine() {
        // The only way in for chat text is observe(…, userText): the person's message. No method takes a turn, a
        // role or a speaker, and no kind of memory is a character's line.
        // (copy's map carries message ids, old to new, for a branched chat: no text)
        Set<Class<?>> allowed = Set.of(String.class, int.class, boolean.class, java.util.Map.class);
        for (Method m : ChatMemory.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                assertThat(Arrays.asList(m.getParameterTypes())).as(m.getName()).isSubsetOf(allowed);
                assertThat(Arrays.stream(m.getParameters()).map(p -> p.getName().toLowerCase()))
                        .as(m.getName()).noneMatch(n -> n.contains("role") || n.contains("bot")
                                || n.contains("assistant") || n.contains("character") || n.contains("turn"));
            }
        }
        assertThat(Memory.Kind.values()).containsExactly(Memory.Kind.FACT, Memory.Kind.SUMMARY, Memory.Kind.NOTE);
    }
}
