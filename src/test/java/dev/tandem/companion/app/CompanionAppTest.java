package dev.tandem.companion.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.companion.CharacterCard;
import dev.tandem.companion.CharacterCards;
import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The companion app through its pages, on a real server answering with the small stories model: sign-up and teen
 * mode, card import and export, chats with streamed replies, swipes, edits and ratings, memories, the metered cost
 * of each reply, data export and account deletion.
 */
class CompanionAppTest {

    static final Path SERAPHINA = Path.of("../shared/fixtures/cards/seraphina.png");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AtomicInteger PEOPLE = new AtomicInteger();
    static TandemServer server;

    @BeforeAll
    static void start() {
        server = TandemServer.start(settings());
    }

    static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>(TandemServer.storiesSettings());
        s.put("tandem.companion.model", "stories");
        // Seraphina's definition alone is some 4,000 tokens of this model's small vocabulary
        s.put("tandem.inference.models[0].context-size", "8192");
        s.put("tandem.companion.context-tokens", "8192");
        s.put("tandem.companion.reply-tokens", "24");
        s.put("tandem.companion.recent-turns", "12");
        return s;
    }

    @AfterAll
    static void stop() {
        Closing.all(server);
    }

    /** Signs up a new person born {@code years} ago; returns their browser, signed in with a CSRF token. */
    static Browser signUp(TandemServer server, int years) {
        Browser b = new Browser(server);
        int n = PEOPLE.incrementAndGet();
        Browser.Reply r = b.post("/sign-up", Map.of("email", "p" + n + "@example.com", "name", "Pat " + n,
                "handle", "pat" + n + "_" + Long.toHexString(System.nanoTime() & 0xffff), "password",
                "correct horse battery", "birth_date", LocalDate.now().minusYears(years).minusDays(3).toString()));
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        b.csrfFrom(b.get("/me").ok());
        return b;
    }

    static String importSeraphina(Browser b, String visibility) throws Exception {
        Browser.Reply r = b.upload("/import", Map.of("visibility", visibility, "rating", "teen"), "file",
                "seraphina.png", Files.readAllBytes(SERAPHINA));
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        return r.header("location").replaceAll(".*/c/", "");
    }

    static String startChat(Browser b, String character) {
        Browser.Reply r = b.post("/c/" + character + "/chats", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        return r.header("location").replaceAll(".*/chats/", "");
    }

    /** Sends a message the way the page's script does; returns the SSE body. */
    static String send(TandemServer server, Browser b, String chat, String text) {
        Browser.Reply r = b.postRaw("/chats/" + chat + "/send", Map.of("_csrf", b.csrf(), "text", text),
                Map.of("accept", "text/event-stream", "x-csrf-token", b.csrf(), "origin", server.url("")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).as(r.body()).contains("event: done");
        return r.body();
    }

    static JsonNode lastDone(String sse) {
        Matcher m = Pattern.compile("event: done\ndata: (.*)\n").matcher(sse);
        assertThat(m.find()).isTrue();
        return JSON.readTree(m.group(1));
    }

    @Test
    void signUpRefusesTheTooYoungAndAnOddBirthDateWithAClearMessage() {
        Browser b = new Browser(server);
        Browser.Reply young = b.post("/sign-up", Map.of("email", "kid@example.com", "name", "Kid", "handle",
                "kid_" + System.nanoTime() % 100000, "password", "correct horse battery", "birth_date",
                LocalDate.now().minusYears(10).toString()));
        assertThat(young.status()).isEqualTo(403);
        assertThat(young.body()).contains("You must be at least 13");
        Browser.Reply odd = b.post("/sign-up", Map.of("email", "odd@example.com", "name", "Odd", "handle",
                "odd_" + System.nanoTime() % 100000, "password", "correct horse battery", "birth_date", "31/12/1990"));
        assertThat(odd.status()).isEqualTo(400);
        assertThat(odd.body()).contains("YYYY-MM-DD");
        assertThat(b.get("/me").status()).as("nobody was signed in").isEqualTo(302);
    }

    @Test
    void aSillyTavernPngImportsAndExportsInEveryFormatWithNothingLost() throws Exception {
        Browser b = signUp(server, 30);
        String id = importSeraphina(b, "public");
        String page = b.get("/c/" + id).ok().body();
        assertThat(page).contains("Seraphina");
        CharacterCard original = CharacterCards.read(Files.readAllBytes(SERAPHINA));
        for (String format : new String[] {"png", "json", "json-v2", "charx"}) {
            CharacterCard back = CharacterCards.read(b.download("/c/" + id + "/export?format=" + format));
            assertThat(back.name()).as(format).isEqualTo("Seraphina");
            assertThat(back.characterBook()).as(format).isEqualTo(original.characterBook());
            assertThat(back.data().path("extensions")).as(format).isEqualTo(original.data().path("extensions"));
            assertThat(back.alternateGreetings()).as(format).isEqualTo(original.alternateGreetings());
        }
        // and an exported PNG imports again as the same character
        String again = b.upload("/import", Map.of("visibility", "private", "rating", "teen"), "file", "s.png",
                b.download("/c/" + id + "/export?format=png")).header("location").replaceAll(".*/c/", "");
        assertThat(CharacterCards.read(b.download("/c/" + again + "/export?format=json")).data().path("character_book"))
                .isEqualTo(original.characterBook());
    }

    @Test
    void aReplyStreamsCanBeRegeneratedSwipedRatedAndEditedAndItsCostShowsInTheAppsUsage() throws Exception {
        Browser b = signUp(server, 25);
        String chat = startChat(b, importSeraphina(b, "private"));
        assertThat(b.get("/chats/" + chat).ok().body()).as("the greeting").contains("Seraphina");

        String sse = send(server, b, chat, "Hello there, I am lost in the forest and need some help.");
        assertThat(sse).startsWith("event: typing").contains("event: delta");
        JsonNode done = lastDone(sse);
        String line = done.path("id").asString();
        assertThat(done.path("swipes").asInt()).isEqualTo(1);

        Browser.Reply regen = b.postRaw("/chats/" + chat + "/regenerate", Map.of("_csrf", b.csrf()),
                Map.of("accept", "text/event-stream", "x-csrf-token", b.csrf(), "origin", server.url("")));
        JsonNode second = lastDone(regen.body());
        assertThat(second.path("id").asString()).isEqualTo(line);
        assertThat(second.path("swipes").asInt()).isEqualTo(2);
        assertThat(second.path("swipe").asInt()).isEqualTo(1);

        assertThat(b.post("/chats/" + chat + "/lines/" + line + "/swipe", Map.of("index", "0")).status())
                .isEqualTo(302);
        assertThat(b.post("/chats/" + chat + "/lines/" + line + "/rate", Map.of("stars", "3")).status())
                .isEqualTo(302);
        assertThat(b.post("/chats/" + chat + "/lines/" + line + "/rate", Map.of("stars", "7")).status())
                .isEqualTo(400);
        assertThat(b.post("/chats/" + chat + "/lines/" + line + "/edit", Map.of("text", "An edited reply."))
                .status()).isEqualTo(302);
        String page = b.get("/chats/" + chat).ok().body();
        assertThat(page).contains("An edited reply.").contains("1/2").contains("aria-label=\"Rate 3 of 4\" aria-pressed=\"true\"");

        // a plain form post (no script) gets the whole reply and the page again
        Browser.Reply plain = b.post("/chats/" + chat + "/send", Map.of("text", "Thank you so much for the help."));
        assertThat(plain.status()).isEqualTo(302);
        assertThat(b.get("/chats/" + chat).ok().body()).contains("Thank you so much for the help.");

        // every reply went through the metered path as the app's own organization
        Admin admin = new Admin(server);
        String org = null;
        for (JsonNode o : admin.call("GET", "/v1/admin/organizations", null).ok().path("data")) {
            if (o.path("name").asString().equals("Tandem Companion")) {
                org = o.path("id").asString();
            }
        }
        assertThat(org).isNotNull();
        JsonNode usage = admin.call("GET", "/v1/organization/usage/completions?organization_id=" + org
                + "&bucket_width=1d&start_time=" + (System.currentTimeMillis() / 1000 - 2 * 86400), null).ok();
        long requests = 0;
        for (JsonNode bucket : usage.path("data")) {
            for (JsonNode result : bucket.path("results")) {
                requests += result.path("num_model_requests").asLong();
            }
        }
        assertThat(requests).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anEarlierVersionCanBeReadAndRestoredAsANewVersionByItsCreatorOnly() throws Exception {
        Browser b = signUp(server, 30);
        Browser.Reply made = b.upload("/create", Map.of("name", "Mira", "description", "A forest ranger.",
                "firstMessage", "Hello, traveller!", "tags", "forest", "visibility", "public", "rating", "everyone"),
                "avatar", "", null);
        assertThat(made.status()).as(made.body()).isEqualTo(302);
        String id = made.header("location").replaceAll(".*/c/", "");
        Browser.Reply edited = b.upload("/c/" + id + "/edit", Map.of("name", "Mira", "description", "A sea captain.",
                "firstMessage", "Ahoy!", "tags", "sea", "visibility", "public", "rating", "everyone"), "avatar", "",
                null);
        assertThat(edited.status()).as(edited.body()).isEqualTo(302);
        assertThat(b.get("/c/" + id).ok().body()).contains("version 2", "Restore version 1");

        CharacterCard first = CharacterCards.read(b.download("/c/" + id + "/versions/1"));
        assertThat(first.data().path("description").asString()).isEqualTo("A forest ranger.");
        Browser.Reply restored = b.post("/c/" + id + "/versions/1/restore", Map.of());
        assertThat(restored.status()).as(restored.body()).isEqualTo(302);
        CharacterCard now = CharacterCards.read(b.download("/c/" + id + "/export?format=json"));
        assertThat(now.data().path("description").asString()).isEqualTo("A forest ranger.");
        assertThat(now.data().path("first_mes").asString()).isEqualTo("Hello, traveller!");
        assertThat(now.tags()).containsExactly("forest");
        assertThat(b.get("/c/" + id).ok().body()).contains("version 3", "Restore version 2");
        assertThat(b.get("/tags/forest").ok().body()).as("its tags came back too").contains("Mira");

        Browser.Reply same = b.post("/c/" + id + "/versions/3/restore", Map.of());
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.body()).contains("Version 3 is the character as it is now.");
        Browser other = signUp(server, 30);
        assertThat(other.post("/c/" + id + "/versions/1/restore", Map.of()).status()).isEqualTo(403);
        assertThat(other.get("/c/" + id + "/versions/1").status()).isEqualTo(403);
        assertThat(b.post("/c/" + id + "/versions/9/restore", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void aChatBranchesFromAMessageWithItsAlternativesAndMemoriesAndTheOriginalStays() throws Exception {
        Browser b = signUp(server, 30);
        String chat = startChat(b, importSeraphina(b, "private"));
        send(server, b, chat, "My dog is called Biscuit.");
        assertThat(b.post("/chats/" + chat + "/regenerate", Map.of()).status()).isEqualTo(302);
        send(server, b, chat, "I live in Leeds.");
        String page = b.get("/chats/" + chat).ok().body();
        java.util.List<String> lineIds = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("<li id=\"(msg_[A-Za-z0-9]+)\"").matcher(page);
        while (m.find()) {
            lineIds.add(m.group(1));
        }
        assertThat(lineIds).hasSize(5); // greeting, dog, reply (2 alternatives), Leeds, reply
        Browser.Reply branched = b.post("/chats/" + chat + "/lines/" + lineIds.get(2) + "/branch", Map.of());
        assertThat(branched.status()).as(branched.body()).isEqualTo(302);
        String branch = branched.header("location").replaceAll(".*/chats/", "");
        assertThat(branch).isNotEqualTo(chat);

        String copy = b.get("/chats/" + branch).ok().body();
        assertThat(copy).contains("My dog is called Biscuit.", "data-swipes=\"2\"").doesNotContain("I live in Leeds.");
        assertThat(b.get("/chats/" + branch + "/memories").ok().body()).contains("dog is called Biscuit")
                .doesNotContain("Leeds");
        assertThat(b.get("/chats/" + chat).ok().body()).as("the original is untouched").contains("I live in Leeds.");
        assertThat(b.get("/chats/" + chat + "/memories").ok().body()).contains("Leeds");

        send(server, b, branch, "I live in York.");
        assertThat(b.get("/chats/" + branch + "/memories").ok().body()).contains("York");
        assertThat(b.get("/chats/" + chat + "/memories").ok().body()).doesNotContain("York");
        assertThat(signUp(server, 30).post("/chats/" + chat + "/lines/" + lineIds.get(2) + "/branch", Map.of())
                .status()).as("someone else's chat").isEqualTo(404);
        assertThat(b.post("/chats/" + chat + "/lines/msg_nosuchline/branch", Map.of()).status()).isEqualTo(404);
    }

    /** A chat as SillyTavern writes one: humanized dates, a hidden message, swipes with their info. */
    static final String SILLY_TAVERN_CHAT = """
            {"user_name":"Robin","character_name":"Seraphina","create_date":"2025-3-14@20h11m05s","chat_metadata":{"note_prompt":"","note_interval":1}}
            {"name":"Seraphina","is_user":false,"is_system":false,"send_date":"March 14, 2025 8:11pm","mes":"*You wake in a glade.*","extra":{},"swipe_id":0,"swipes":["*You wake in a glade.*"],"swipe_info":[{"send_date":"March 14, 2025 8:11pm","extra":{}}]}
            {"name":"Robin","is_user":true,"is_system":false,"send_date":"March 14, 2025 8:12pm","mes":"Where am I? I work as a baker in Bristol.","extra":{"isSmallSys":false}}
            {"name":"System","is_user":false,"is_system":true,"send_date":"March 14, 2025 8:12pm","mes":"[hidden note]","extra":{"type":"narrator"}}
            {"name":"Seraphina","is_user":false,"is_system":false,"send_date":1741983180000,"mes":"You are safe here.","extra":{"api":"openai","model":"gpt-4o"},"swipe_id":1,"swipes":["First try.","You are safe here."],"swipe_info":[{},{}]}
            """;

    @Test
    void chatsMoveToAndFromSillyTavernFilesWithEveryAlternative() throws Exception {
        Browser b = signUp(server, 30);
        String character = importSeraphina(b, "public");
        Browser.Reply imported = b.upload("/c/" + character + "/chats/import", Map.of(), "file", "Seraphina.jsonl",
                SILLY_TAVERN_CHAT.getBytes(StandardCharsets.UTF_8));
        assertThat(imported.status()).as(imported.body()).isEqualTo(302);
        String chat = imported.header("location").replaceAll(".*/chats/", "");
        String page = b.get("/chats/" + chat).ok().body();
        assertThat(page).contains("You wake in a glade.", "Where am I?", "You are safe here.", "data-swipes=\"2\"")
                .doesNotContain("[hidden note]");
        assertThat(b.get("/chats/" + chat + "/memories").ok().body()).as("facts the person stated")
                .contains("works as a baker in Bristol");
        send(server, b, chat, "Thank you.");

        String exported = new String(b.download("/chats/" + chat + "/export"), StandardCharsets.UTF_8);
        List<String> rows = exported.lines().toList();
        JsonNode head = JSON.readTree(rows.getFirst());
        assertThat(head.path("character_name").asString()).isEqualTo("Seraphina");
        assertThat(head.path("user_name").asString()).startsWith("Pat");
        assertThat(rows).hasSize(1 + 5);
        JsonNode safe = JSON.readTree(rows.get(3));
        assertThat(safe.path("is_user").asBoolean()).isFalse();
        assertThat(safe.path("swipes")).hasSize(2);
        assertThat(safe.path("swipe_id").asInt()).isEqualTo(1);
        assertThat(safe.path("mes").asString()).isEqualTo("You are safe here.");
        assertThat(JSON.readTree(rows.get(4)).path("mes").asString()).isEqualTo("Thank you.");

        // what was exported imports again, for someone else, as the same chat
        Browser other = signUp(server, 30);
        Browser.Reply again = other.upload("/c/" + character + "/chats/import", Map.of(), "file", "c.jsonl",
                exported.getBytes(StandardCharsets.UTF_8));
        assertThat(again.status()).as(again.body()).isEqualTo(302);
        String copy = again.header("location").replaceAll(".*/chats/", "");
        String back = new String(other.download("/chats/" + copy + "/export"), StandardCharsets.UTF_8);
        assertThat(back.lines().skip(1).map(l -> JSON.readTree(l).path("swipes").toString() + JSON.readTree(l)
                .path("mes").asString()).toList()).isEqualTo(exported.lines().skip(1).map(l -> JSON.readTree(l)
                .path("swipes").toString() + JSON.readTree(l).path("mes").asString()).toList());
        assertThat(b.get("/chats/" + copy).status()).as("not the first person's").isEqualTo(404);
    }

    @Test
    void aBrokenSillyTavernChatFileIsRefusedWithTheLineAtFault() throws Exception {
        Browser b = signUp(server, 30);
        String character = importSeraphina(b, "private");
        String[][] cases = {
            {"", "The file is empty."},
            {"{\"name\":\"x\"}\n", "Line 1 is not a SillyTavern chat header"},
            {"{\"user_name\":\"a\",\"character_name\":\"b\"}\n{\"is_user\":true,\"mes\":\"hi\"}\nnot json\n",
                "Line 3 is not valid JSON"},
            {"{\"user_name\":\"a\",\"character_name\":\"b\"}\n{\"is_user\":\"yes\"}\n",
                "Line 2 is not a SillyTavern message"},
            {"{\"user_name\":\"a\",\"character_name\":\"b\"}\n", "The chat has no messages."},
        };
        int before = b.get("/chats").ok().body().split("/chats/cht_").length;
        for (String[] c : cases) {
            Browser.Reply r = b.upload("/c/" + character + "/chats/import", Map.of(), "file", "x.jsonl",
                    c[0].getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(c[1]).isEqualTo(400);
            assertThat(r.body()).contains(c[1]);
        }
        Browser.Reply binary = b.upload("/c/" + character + "/chats/import", Map.of(), "file", "x.jsonl",
                new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        assertThat(binary.status()).isEqualTo(400);
        assertThat(binary.body()).contains("not UTF-8 text");
        assertThat(b.get("/chats").ok().body().split("/chats/cht_").length).as("no chat was made").isEqualTo(before);
    }

    @Test
    void manyPeopleChattingAtOnceAllGetTheirReplies() throws Exception {
        Browser creator = signUp(server, 30);
        // a short character: this is about the app's writes at once, not the small engine's queue
        Browser.Reply made = creator.upload("/create", Map.of("name", "Mira", "description", "A forest ranger.",
                "firstMessage", "Hello, traveller!", "visibility", "public", "rating", "everyone"), "avatar", "",
                null);
        assertThat(made.status()).as(made.body()).isEqualTo(302);
        String character = made.header("location").replaceAll(".*/c/", "");
        java.util.List<java.util.concurrent.Future<String>> replies = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                replies.add(pool.submit(() -> {
                    Browser b = signUp(server, 20);
                    String chat = startChat(b, character);
                    return send(server, b, chat, "Hello, I just arrived here.") + send(server, b, chat,
                            "What is this place called?");
                }));
            }
            for (var r : replies) {
                assertThat(r.get()).doesNotContain("event: error");
            }
        }
    }

    @Test
    void factsFromThePersonsMessagesAreRememberedAndCanBeEditedPinnedAndDeleted() throws Exception {
        Browser b = signUp(server, 40);
        String chat = startChat(b, importSeraphina(b, "private"));
        send(server, b, chat, "My dog is called Biscuit and he loves the snow.");
        String memories = b.get("/chats/" + chat + "/memories").ok().body();
        assertThat(memories).contains("dog is called Biscuit");
        String[] chatLines = b.get("/chats/" + chat).ok().body().split("class=\"line char\"");
        assertThat(chatLines.length).isGreaterThan(1);
        Matcher m = Pattern.compile("id=\"(mem_[A-Za-z0-9]+)\"").matcher(memories);
        assertThat(m.find()).isTrue();
        String memory = m.group(1);
        assertThat(b.post("/chats/" + chat + "/memories/" + memory + "/edit",
                Map.of("text", "{{user}}'s dog is called Pretzel")).status()).isEqualTo(302);
        assertThat(b.post("/chats/" + chat + "/memories/" + memory + "/pin", Map.of("pinned", "true")).status())
                .isEqualTo(302);
        String after = b.get("/chats/" + chat + "/memories").ok().body();
        assertThat(after).contains("Pretzel").contains("pinned").doesNotContain("Biscuit");
        assertThat(b.post("/chats/" + chat + "/memories/" + memory + "/delete", Map.of()).status()).isEqualTo(302);
        assertThat(b.get("/chats/" + chat + "/memories").ok().body()).doesNotContain("Pretzel");
    }

    @Test
    void aTeenSeesNoMatureCharactersAndOthersCannotSeePrivateOnes() throws Exception {
        Browser adult = signUp(server, 35);
        String mature = adult.upload("/import", Map.of("visibility", "public", "rating", "mature"), "file",
                "s.png", Files.readAllBytes(SERAPHINA)).header("location").replaceAll(".*/c/", "");
        String hidden = importSeraphina(adult, "private");
        Browser teen = signUp(server, 15);
        assertThat(teen.get("/c/" + mature).status()).isEqualTo(403);
        assertThat(teen.get("/?tab=new").ok().body()).doesNotContain(mature);
        assertThat(adult.get("/?tab=new").ok().body()).contains(mature);
        assertThat(teen.get("/c/" + hidden).status()).isEqualTo(404);
        assertThat(new Browser(server).get("/c/" + hidden).status()).isEqualTo(404);
    }

    @Test
    void changesWithoutTheCsrfTokenAreRefused() throws Exception {
        Browser b = signUp(server, 30);
        String id = importSeraphina(b, "public");
        Browser.Reply r = b.postRaw("/c/" + id + "/like", Map.of("like", "true"), Map.of("origin", server.url("")));
        assertThat(r.status()).isEqualTo(403);
        assertThat(b.get("/c/" + id).ok().body()).contains("0 likes");
    }

    @Test
    void theLastOwnerOfAnOrganizationIsToldSoAndNothingOfTheirsIsDeleted() throws Exception {
        Browser b = signUp(server, 30);
        String chat = startChat(b, importSeraphina(b, "private"));
        String person = JSON.readTree(b.download("/me/export")).path("profile").path("id").asString();
        String org = server.context().getBean(dev.tandem.identity.Organizations.class).create("Pat's team").id();
        server.context().getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("INSERT INTO memberships (person_id, organization_id, role, created_at) VALUES (:p, :o, 'owner', 0)")
                .param("p", person).param("o", org).update();
        Browser.Reply refused = b.post("/me/delete", Map.of("password", "correct horse battery"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("last owner of Pat&#39;s team");
        assertThat(b.get("/chats/" + chat).status()).as("the chat is still there").isEqualTo(200);
    }

    @Test
    void aPersonCanExportAllTheirDataAndDeleteTheirAccount() throws Exception {
        Browser b = signUp(server, 22);
        String character = importSeraphina(b, "public");
        String chat = startChat(b, character);
        send(server, b, chat, "I live in Lisbon and I work as a baker.");
        String other = importSeraphina(b, "private");
        assertThat(b.post("/c/" + character + "/group-chats", Map.of("with", other)).status()).as("a group chat too")
                .isEqualTo(302);
        JsonNode data = JSON.readTree(b.download("/me/export"));
        assertThat(data.path("characters").size()).isEqualTo(2);
        assertThat(data.path("chats")).anySatisfy(c -> assertThat(c.path("messages").size()).isGreaterThanOrEqualTo(3))
                .anySatisfy(c -> assertThat(c.path("group").toString()).contains("Seraphina"));
        assertThat(data.path("memories").toString()).contains("Lisbon");
        assertThat(data.path("purchases_and_gems").path("gems").path("paid").isNumber()).isTrue();
        String email = data.path("profile").path("email").asString();

        assertThat(b.post("/me/delete", Map.of("password", "wrong password here")).status()).isEqualTo(403);
        assertThat(b.post("/me/delete", Map.of("password", "correct horse battery")).status()).isEqualTo(302);
        Browser again = new Browser(server);
        assertThat(again.signIn(email, "correct horse battery").status()).isEqualTo(401);
        assertThat(again.get("/c/" + character).status()).isEqualTo(404);
    }
}
