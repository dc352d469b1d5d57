package dev.tandem.companion.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@link ChatMemory} does, on a real database migrated by Flyway, with the real MiniLM embedder: subclassed
 * once per database. Each test works in chats of its own. Bad input is in {@link ChatMemoryInputTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChatMemoryContract {

    static final Embedder EMBEDDER = new MiniLmEmbedder();

    MemoryDatabase db;
    TestClock clock;
    ChatMemory memory;

    abstract MemoryDatabase open() throws Exception;

    @BeforeAll
    void start() throws Exception {
        db = open();
        clock = new TestClock();
        memory = new ChatMemory(db.jdbc(), EMBEDDER, clock);
    }

    @AfterAll
    void stop() {
        db.close();
    }

    static String newChat() {
        return "cht_" + UUID.randomUUID().toString().substring(0, 18);
    }

    static List<String> contents(List<Recalled> recalled) {
        return recalled.stream().map(r -> r.memory().content()).toList();
    }

    @Test
    void factsFromEarlyInALongChatAreRecalledLater() {
        String chat = newChat();
        List<String> messages = LongChat.personMessages(200);
        assertThat(messages.get(2)).isEqualTo("My dog is called Biscuit");
        assertThat(messages.get(4)).isEqualTo("I work as a nurse in Leeds");
        for (int i = 0; i < messages.size(); i++) {
            memory.observe(chat, "psn_a", "msg_" + i, messages.get(i));
        }
        List<Memory> stored = memory.list(chat);
        assertThat(stored).hasSizeBetween(10, 40).allMatch(m -> m.kind() == Memory.Kind.FACT)
                .allMatch(m -> m.content().startsWith("{{user}}"));

        assertThat(contents(memory.recall(chat, "what is my dog's name?", 5)))
                .contains("{{user}}'s dog is called Biscuit");
        assertThat(contents(memory.recall(chat, "where do I work?", 5)))
                .contains("{{user}} works as a nurse in Leeds");
        Memory biscuit = stored.stream().filter(m -> m.content().contains("Biscuit")).findFirst().orElseThrow();
        assertThat(biscuit.sourceMessageId()).isEqualTo("msg_2");
    }

    @Test
    void anUpdateReplacesTheOlderFactAndAPinnedFactStays() {
        String chat = newChat();
        memory.observe(chat, "psn_a", "msg_1", "I live in Leeds. I love coffee. My favourite colour is blue.");
        memory.observe(chat, "psn_a", "msg_2", "I have a dog.");
        Memory blue = memory.list(chat).stream().filter(m -> m.content().contains("blue")).findFirst().orElseThrow();
        assertThat(memory.pin(chat, blue.id(), true)).isTrue();

        List<Memory> stored = memory.observe(chat, "psn_a", "msg_3",
                "I moved to York last year. I hate coffee now. My favourite colour is green.");
        assertThat(stored).extracting(Memory::content).containsExactly("{{user}} moved to York last year",
                "{{user}} hates coffee now", "{{user}}'s favourite colour is green");
        assertThat(memory.list(chat)).extracting(Memory::content).containsExactlyInAnyOrder(
                "{{user}}'s favourite colour is blue", // pinned: the person's choice
                "{{user}}'s favourite colour is green", "{{user}} has a dog", "{{user}} moved to York last year",
                "{{user}} hates coffee now");
        assertThat(contents(memory.recall(chat, "where do I live?", 3))).contains("{{user}} moved to York last year")
                .doesNotContain("{{user}} lives in Leeds");
        // the cache and the database agree: a fresh instance reads the same
        ChatMemory fresh = new ChatMemory(db.jdbc(), EMBEDDER, clock);
        assertThat(contents(fresh.recall(chat, "do I like coffee?", 5))).contains("{{user}} hates coffee now")
                .doesNotContain("{{user}} loves coffee");
    }

    @Test
    void linesWithoutSelfDisclosureStoreNothing() {
        String chat = newChat();
        // what a character says, or small talk: were a caller to pass it as the person's text, nothing is kept
        for (String line : List.of("*smiles warmly* Welcome back, traveller! The tavern is warm tonight.",
                "Tell me more about your day. What did you eat?", "lol ok", "That sounds lovely, really.",
                "Would you like some tea?")) {
            assertThat(memory.observe(chat, "psn_a", null, line)).isEmpty();
        }
        assertThat(memory.list(chat)).isEmpty();
    }

    @Test
    void nearDuplicatesAreStoredOnceAndDifferentFactsOfTheSameShapeAreNot() {
        String chat = newChat();
        assertThat(memory.observe(chat, "psn_a", null, "I love hiking")).hasSize(1);
        assertThat(memory.observe(chat, "psn_a", null, "I love hiking.")).isEmpty();
        assertThat(memory.observe(chat, "psn_a", null, "I really love hiking!")).isEmpty();
        assertThat(memory.observe(chat, "psn_a", null, "Haha I love hiking, do you?")).isEmpty();
        assertThat(memory.observe(chat, "psn_a", null, "I love chess")).hasSize(1);
        assertThat(memory.observe(chat, "psn_a", null, "My dog is called Biscuit. My cat is called Biscuit."))
                .hasSize(2);
        assertThat(memory.list(chat)).extracting(Memory::content).containsExactlyInAnyOrder(
                "{{user}} loves hiking", "{{user}} loves chess", "{{user}}'s dog is called Biscuit",
                "{{user}}'s cat is called Biscuit");
        assertThat(memory.observe(chat, "psn_a", null, "I hate hiking")).as("stored, and replaces the love")
                .hasSize(1);
        assertThat(memory.list(chat)).extracting(Memory::content).contains("{{user}} hates hiking")
                .doesNotContain("{{user}} loves hiking");
    }

    @Test
    void concurrentObservationsOfOneFactStoreItOnce() throws Exception {
        String chat = newChat();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Memory>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                String text = i % 2 == 0 ? "I live in Leeds" : "I live in Leeds!";
                results.add(pool.submit(() -> {
                    go.await();
                    return memory.observe(chat, "psn_a", null, text);
                }));
            }
            go.countDown();
            int stored = 0;
            for (Future<List<Memory>> f : results) {
                stored += f.get().size();
            }
            assertThat(stored).isEqualTo(1);
        }
        assertThat(memory.list(chat)).hasSize(1);
    }

    @Test
    void recallReturnsPinnedFirstThenMatchesAboveTheMinimumWithoutNearDuplicates() {
        String chat = newChat();
        Memory tea = memory.note(chat, "psn_a", "{{user}} likes green tea");
        memory.note(chat, "psn_a", "{{user}} loves hiking in the mountains");
        memory.note(chat, "psn_a", "{{user}} really loves hiking in the mountains"); // notes are kept as written
        memory.note(chat, "psn_a", "{{user}} goes hiking with a friend every Sunday");
        assertThat(memory.pin(chat, tea.id(), true)).isTrue();

        List<Recalled> recalled = memory.recall(chat, "do I like hiking?", 5);
        assertThat(recalled.getFirst().memory().id()).as("pinned, though unrelated").isEqualTo(tea.id());
        assertThat(contents(recalled)).hasSize(3).containsOnlyOnce("{{user}} goes hiking with a friend every Sunday")
                .as("one of the near-duplicates only").filteredOn(c -> c.contains("loves hiking")).hasSize(1);
        assertThat(recalled.subList(1, 3)).allMatch(r -> r.score() >= ChatMemory.MIN_SCORE)
                .isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
        assertThat(memory.recall(chat, "do I like hiking?", 1)).hasSize(2);

        List<Recalled> unrelated = memory.recall(chat, "quantum chromodynamics of gluons", 5);
        assertThat(contents(unrelated)).as("only the pinned memory clears nothing").containsExactly(tea.content());
        assertThat(memory.recall(newChat(), "anything at all", 5)).isEmpty();
    }

    @Test
    void anotherNodesWritesAreSeenOnceTheCacheEntryExpires() {
        String chat = newChat();
        ChatMemory otherNode = new ChatMemory(db.jdbc(), EMBEDDER, clock);
        memory.note(chat, "psn_a", "{{user}} plays the cello in an orchestra");
        assertThat(contents(memory.recall(chat, "what instrument do I play?", 3))).hasSize(1);

        Memory violin = otherNode.note(chat, "psn_a", "{{user}} also plays the violin");
        assertThat(contents(memory.recall(chat, "what instrument do I play?", 3)))
                .as("within the TTL this node answers from its cache").doesNotContain(violin.content());
        clock.advance(ChatMemory.CACHE_TTL.plus(Duration.ofSeconds(1)));
        assertThat(contents(memory.recall(chat, "what instrument do I play?", 3))).contains(violin.content());

        assertThat(otherNode.edit(chat, violin.id(), "{{user}} gave up the violin for the drums")).isPresent();
        clock.advance(ChatMemory.CACHE_TTL.plus(Duration.ofSeconds(1)));
        assertThat(contents(memory.recall(chat, "what instrument do I play?", 3)))
                .contains("{{user}} gave up the violin for the drums").doesNotContain(violin.content());
    }

    @Test
    void embeddingsAreStoredAsBinaryLittleEndianFloats() {
        String chat = newChat();
        Memory m = memory.note(chat, "psn_a", "{{user}}'s favourite colour is green");
        String typeQuery = db.dialect().equals("sqlite") ? "SELECT typeof(embedding) FROM chat_memories WHERE id = ?"
                : "SELECT pg_typeof(embedding)::text FROM chat_memories WHERE id = ?";
        assertThat(db.jdbc().sql(typeQuery).param(m.id()).query(String.class).single())
                .isEqualTo(db.dialect().equals("sqlite") ? "blob" : "bytea");
        byte[] stored = db.jdbc().sql("SELECT embedding FROM chat_memories WHERE id = ?").param(m.id())
                .query((rs, n) -> rs.getBytes(1)).single();
        assertThat(stored).hasSize(384 * 4);
        float[] read = new float[384];
        Vectors.read(stored, read, 0);
        assertThat(read).containsExactly(EMBEDDER.embed("my favourite colour is green"));
    }

    @Test
    void listShowsPinnedFirstThenNewestFirst() {
        String chat = newChat();
        Memory a = memory.note(chat, "psn_a", "{{user}} keeps bees");
        Memory b = memory.addSummary(chat, "psn_a", "{{user}} and {{char}} planned a trip to Rome.", "msg_40");
        Memory c = memory.observe(chat, "psn_a", "msg_41", "I speak three languages").getFirst();
        assertThat(memory.list(chat)).extracting(Memory::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(List.of(a.kind(), b.kind(), c.kind()))
                .containsExactly(Memory.Kind.NOTE, Memory.Kind.SUMMARY, Memory.Kind.FACT);
        assertThat(b.sourceMessageId()).isEqualTo("msg_40");

        assertThat(memory.pin(chat, a.id(), true)).isTrue();
        assertThat(memory.list(chat)).extracting(Memory::id).containsExactly(a.id(), c.id(), b.id());
        assertThat(memory.list(chat).getFirst().pinned()).isTrue();
        assertThat(memory.pin(chat, a.id(), false)).isTrue();
        assertThat(memory.list(chat)).extracting(Memory::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(memory.pin(chat, "mem_unknown", true)).isFalse();
        assertThat(memory.pin(newChat(), a.id(), true)).as("another chat's memory").isFalse();
    }

    @Test
    void editReplacesTheTextAndWhatRecallFinds() {
        String chat = newChat();
        Memory m = memory.note(chat, "psn_a", "{{user}}'s favourite food is sushi");
        memory.note(chat, "psn_a", "{{user}} works in a bakery");
        assertThat(contents(memory.recall(chat, "what food do I like?", 1))).containsExactly(m.content());

        Memory edited = memory.edit(chat, m.id(), "{{user}} has a pet parrot called Kiwi").orElseThrow();
        assertThat(edited.content()).isEqualTo("{{user}} has a pet parrot called Kiwi");
        assertThat(edited.updatedAt()).isGreaterThan(m.updatedAt());
        assertThat(edited.createdAt()).isEqualTo(m.createdAt());
        assertThat(contents(memory.recall(chat, "what is my bird called?", 1))).containsExactly(edited.content());
        assertThat(contents(memory.recall(chat, "what food do I like?", 5))).doesNotContain(m.content());
        assertThat(memory.list(chat)).extracting(Memory::content).contains(edited.content())
                .doesNotContain(m.content());
        assertThat(memory.edit(chat, "mem_unknown", "anything")).isEmpty();
        assertThat(memory.edit(newChat(), m.id(), "anything")).as("another chat's memory").isEmpty();
    }

    @Test
    void deletedMemoriesAreNeitherListedNorRecalled() {
        String chat = newChat();
        Memory m = memory.observe(chat, "psn_a", null, "I collect vintage postcards").getFirst();
        assertThat(contents(memory.recall(chat, "what do I collect?", 3))).containsExactly(m.content());
        assertThat(memory.delete(newChat(), m.id())).as("another chat's memory").isFalse();
        assertThat(memory.delete(chat, m.id())).isTrue();
        assertThat(memory.delete(chat, m.id())).isFalse();
        assertThat(memory.list(chat)).isEmpty();
        assertThat(memory.recall(chat, "what do I collect?", 3)).isEmpty();
        assertThat(memory.observe(chat, "psn_a", null, "I collect vintage postcards")).as("may be learnt again")
                .hasSize(1);
    }

    @Test
    void deletingAChatOrAPersonRemovesEverything() {
        String chat1 = newChat();
        String chat2 = newChat();
        String person = "psn_" + UUID.randomUUID().toString().substring(0, 8);
        memory.observe(chat1, person, null, "I love jazz. I live in Bristol.");
        memory.note(chat1, "psn_other", "{{user}} is learning the saxophone");
        memory.addSummary(chat2, person, "{{user}} told {{char}} about jazz clubs in Bristol.", null);
        memory.pin(chat2, memory.list(chat2).getFirst().id(), true);
        assertThat(memory.listForPerson(person)).hasSize(3).extracting(Memory::chatId)
                .containsExactlyInAnyOrder(chat1, chat1, chat2);
        assertThat(memory.recall(chat2, "jazz", 3)).hasSize(1);

        assertThat(memory.deletePerson(person)).isEqualTo(3);
        assertThat(memory.listForPerson(person)).isEmpty();
        assertThat(memory.recall(chat2, "jazz", 3)).as("the cached chat lost them too").isEmpty();
        assertThat(contents(memory.recall(chat1, "what music do I like?", 3)))
                .containsExactly("{{user}} is learning the saxophone");

        assertThat(memory.deleteChat(chat1)).isEqualTo(1);
        assertThat(memory.list(chat1)).isEmpty();
        assertThat(memory.recall(chat1, "what music do I like?", 3)).isEmpty();
        assertThat(memory.deleteChat(chat1)).isZero();
    }
}
