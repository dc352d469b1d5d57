package dev.tandem.companion.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Browser;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the engine receives for a reply, read at a recording upstream: the character, the lorebook entries the
 * latest messages activate, what is remembered from beyond the window, the recent history only, and older
 * stretches summarized into memory.
 */
class PromptAssemblyTest {

    static ChatUpstream upstream;
    static TandemServer server;

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(50, 3);
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "recorder"));
        s.put("tandem.companion.model", "recorder");
        s.put("tandem.companion.context-tokens", "6000");
        s.put("tandem.companion.reply-tokens", "64");
        s.put("tandem.companion.recent-turns", "12");
        server = TandemServer.start(s);
    }

    @AfterAll
    static void stop() {
        Closing.all(server, upstream);
    }

    @Test
    void earlyFactsAreRecalledLoreActivatesAndOnlyTheRecentWindowIsSentVerbatim() throws Exception {
        Browser b = CompanionAppTest.signUp(server, 30);
        String chat = CompanionAppTest.startChat(b, CompanionAppTest.importSeraphina(b, "private"));
        String early = "My dog is called Biscuit and he is three years old.";
        CompanionAppTest.send(server, b, chat, early);
        for (int i = 0; i < 14; i++) {
            CompanionAppTest.send(server, b, chat, "Tell me a story about the stars, part " + i + ", please.");
        }
        CompanionAppTest.send(server, b, chat, "Do you remember my dog? Have you seen any shadowfang near here?");

        JsonNode sent = upstream.lastStreamedBody();
        JsonNode messages = sent.path("messages");
        String system = messages.path(0).path("content").asString();
        assertThat(system).as("the character").contains("Seraphina");
        assertThat(system).as("the lorebook entry of 'shadowfang'").contains("What are Shadowfangs?");
        assertThat(system).as("recalled from beyond the window").contains("dog is called Biscuit");
        List<String> history = new ArrayList<>();
        for (int i = 1; i < messages.size(); i++) {
            history.add(messages.path(i).path("role").asString() + ": " + messages.path(i).path("content").asString());
        }
        assertThat(history).noneMatch(h -> h.contains(early));
        assertThat(history.getLast()).isEqualTo("user: Do you remember my dog? Have you seen any shadowfang near here?");
        assertThat(history).filteredOn(h -> h.startsWith("user: ") || h.startsWith("assistant: ")).hasSize(12);
        assertThat(sent.path("stop").toString()).contains("\\nPat");

        String memories = b.get("/chats/" + chat + "/memories").ok().body();
        assertThat(memories).contains(">fact<").contains(">summary<");
    }

    @Test
    void theChatsAuthorsNoteGoesInAtItsDepthWithItsMacrosExpanded() throws Exception {
        Browser b = CompanionAppTest.signUp(server, 30);
        String chat = CompanionAppTest.startChat(b, CompanionAppTest.importSeraphina(b, "private"));
        for (int i = 0; i < 3; i++) {
            CompanionAppTest.send(server, b, chat, "A line of the story, number " + i + ".");
        }
        Browser.Reply set = b.post("/chats/" + chat + "/note", Map.of("text",
                "[{{char}} speaks in rhymes to {{user}}.]", "depth", "2"));
        assertThat(set.status()).as(set.body()).isEqualTo(302);
        assertThat(b.get("/chats/" + chat).ok().body()).contains("[{{char}} speaks in rhymes to {{user}}.]");
        CompanionAppTest.send(server, b, chat, "And now?");

        JsonNode messages = upstream.lastStreamedBody().path("messages");
        int n = messages.size();
        assertThat(messages.path(n - 3).path("role").asString()).isEqualTo("system");
        assertThat(messages.path(n - 3).path("content").asString()).startsWith("[Seraphina speaks in rhymes to Pat");
        assertThat(messages.path(n - 1).path("content").asString()).isEqualTo("And now?");

        Browser.Reply tooDeep = b.post("/chats/" + chat + "/note", Map.of("text", "x", "depth", "101"));
        assertThat(tooDeep.status()).isEqualTo(400);
        assertThat(tooDeep.body()).contains("depth is 0 to 100");
        Browser.Reply cleared = b.post("/chats/" + chat + "/note", Map.of("text", "", "depth", "4"));
        assertThat(cleared.status()).isEqualTo(302);
        CompanionAppTest.send(server, b, chat, "And then?");
        assertThat(upstream.lastStreamedBody().path("messages").toString()).doesNotContain("speaks in rhymes");
    }

    @Test
    void aSuggestedMessageIsWrittenAsThePersonAndNothingIsStored() throws Exception {
        Browser b = CompanionAppTest.signUp(server, 30);
        String chat = CompanionAppTest.startChat(b, CompanionAppTest.importSeraphina(b, "private"));
        CompanionAppTest.send(server, b, chat, "Hello there.");
        String before = b.get("/chats/" + chat).ok().body();
        int lines = before.split("class=\"line ").length;

        Browser.Reply page = b.post("/chats/" + chat + "/suggest", Map.of());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).containsPattern("<textarea id=\"text\"[^>]*>ok ok ok</textarea>");
        JsonNode asked = upstream.requests().getLast();
        JsonNode messages = asked.path("messages");
        assertThat(messages.path(messages.size() - 1).path("content").asString())
                .startsWith("[Now write Pat").contains("next message to Seraphina");
        assertThat(messages.toString()).contains("Hello there.");
        assertThat(asked.path("stop").toString()).contains("\\nSeraphina:");
        assertThat(b.get("/chats/" + chat).ok().body().split("class=\"line ").length).as("nothing was stored")
                .isEqualTo(lines);
        assertThat(CompanionAppTest.signUp(server, 30).post("/chats/" + chat + "/suggest", Map.of()).status())
                .isEqualTo(404);
    }

    /** The system text of the last request the model server got. */
    static String lastSystem() {
        JsonNode messages = upstream.requests().getLast().path("messages");
        StringBuilder out = new StringBuilder();
        messages.forEach(m -> {
            if (m.path("role").asString().equals("system")) {
                out.append(m.path("content").asString()).append('\n');
            }
        });
        return out.toString();
    }

    @Test
    void aGroupChatAnswersWithTheCharacterNamedOrNextInTurnAndEachKnowsTheOthersLines() throws Exception {
        Browser b = CompanionAppTest.signUp(server, 30);
        String seraphina = CompanionAppTest.importSeraphina(b, "private");
        Browser.Reply made = b.upload("/create", Map.of("name", "Lyra", "description", "Lyra is a wandering bard.",
                "firstMessage", "A song for you!", "visibility", "private", "rating", "everyone"), "avatar", "", null);
        String lyra = made.header("location").replaceAll(".*/c/", "");
        CompanionAppTest.startChat(b, lyra);
        assertThat(b.get("/c/" + seraphina).ok().body()).contains("Start a group chat", "name=\"with\"");

        Browser.Reply started = b.post("/c/" + seraphina + "/group-chats", Map.of("with", lyra));
        assertThat(started.status()).as(started.body()).isEqualTo(302);
        String chat = started.header("location").replaceAll(".*/chats/", "");
        assertThat(b.get("/chats/" + chat).ok().body()).contains("With Seraphina, Lyra", "Let Lyra speak");

        CompanionAppTest.send(server, b, chat, "Lyra, will you sing?");
        assertThat(lastSystem()).contains("Lyra is a wandering bard.", "[A group chat:", "Write only Lyra's next")
                .doesNotContain("Write only Seraphina's");
        assertThat(upstream.requests().getLast().path("stop").toString()).contains("\\nSeraphina:");

        CompanionAppTest.send(server, b, chat, "And what do you say?");
        assertThat(lastSystem()).as("next in turn after Lyra").contains("Write only Seraphina's next");
        JsonNode asked = upstream.requests().getLast().path("messages");
        assertThat(asked.toString()).as("Lyra's line, named").contains("Lyra: ok ok ok");

        Browser.Reply spoke = b.post("/chats/" + chat + "/speak", Map.of("character", lyra));
        assertThat(spoke.status()).as(spoke.body()).isEqualTo(302);
        assertThat(lastSystem()).contains("Write only Lyra's next");
        assertThat(b.post("/chats/" + chat + "/regenerate", Map.of()).status()).isEqualTo(302);
        assertThat(lastSystem()).as("an alternative comes from the same speaker").contains("Write only Lyra's next");

        String page = b.get("/chats/" + chat).ok().body();
        Matcher who = Pattern.compile("<span class=\"who\">([^<]+)</span>").matcher(page);
        List<String> speakers = new ArrayList<>();
        while (who.find()) {
            speakers.add(who.group(1).startsWith("Pat ") ? "Pat" : who.group(1)); // the person's persona, "Pat N"
        }
        assertThat(speakers).containsExactly("Seraphina", "Pat", "Lyra", "Pat", "Seraphina", "Lyra");
        assertThat(new String(b.download("/chats/" + chat + "/export"), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"name\":\"Lyra\"", "\"name\":\"Seraphina\"");

        assertThat(b.post("/chats/" + chat + "/speak", Map.of("character", "chr_notamember")).status())
                .isEqualTo(400);
        Browser.Reply alone = b.post("/c/" + seraphina + "/group-chats", Map.of());
        assertThat(alone.status()).isEqualTo(400);
        assertThat(alone.body()).contains("A group chat has 2 to 5 different characters");
        assertThat(b.post("/chats/" + chat + "/delete", Map.of()).status()).isEqualTo(302);
        assertThat(b.get("/chats/" + chat).status()).isEqualTo(404);
    }
}

