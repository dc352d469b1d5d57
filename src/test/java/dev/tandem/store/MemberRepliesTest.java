package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.store.StoreFixture.Buyer;
import dev.tandem.support.Browser;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Closing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A membership's perks as the companion app applies them, with two model servers to tell apart where replies go:
 * a member's reply is sent to the plan's model (capacity reserved for members) with more of the chat kept word for
 * word, and may have more alternatives; everyone else's goes to the app's model with the app's limits; when the
 * members' model fails, the member is answered by the app's model.
 */
class MemberRepliesTest {

    static final Path SERAPHINA = Path.of("../shared/fixtures/cards/seraphina.png");
    static ChatUpstream everyone;
    static ChatUpstream members;
    static StoreFixture store;

    @BeforeAll
    static void start() throws Exception {
        everyone = new ChatUpstream(50, 3);
        members = new ChatUpstream(50, 3);
        Map<String, String> s = new LinkedHashMap<>(everyone.model(0, "app-model"));
        s.putAll(members.model(1, "members-model"));
        s.put("tandem.companion.model", "app-model");
        s.put("tandem.companion.context-tokens", "16384");
        s.put("tandem.companion.reply-tokens", "24");
        s.put("tandem.companion.recent-turns", "2");
        s.put("tandem.store.products[4].plan.model", "members-model");
        store = StoreFixture.start("sqlite", s);
    }

    @AfterAll
    static void stop() {
        Closing.all(store, everyone, members);
    }

    String chatWithSeraphina(Buyer buyer) throws Exception {
        Browser b = buyer.browser();
        Browser.Reply imported = b.upload("/import", Map.of("visibility", "private", "rating", "teen"), "file",
                "seraphina.png", Files.readAllBytes(SERAPHINA));
        assertThat(imported.status()).as(imported.body()).isEqualTo(302);
        String character = imported.header("location").replaceAll(".*/c/", "");
        Browser.Reply chat = b.post("/c/" + character + "/chats", Map.of());
        assertThat(chat.status()).as(chat.body()).isEqualTo(302);
        return chat.header("location").replaceAll(".*/chats/", "");
    }

    void send(Buyer buyer, String chat, String text) {
        Browser.Reply sent = buyer.browser().post("/chats/" + chat + "/send", Map.of("text", text));
        assertThat(sent.status()).as(sent.body()).isEqualTo(302);
    }

    void becomeMember(Buyer buyer) {
        String id = StoreFixture.nextId();
        String session = StoreFixture.paidPackSession(buyer.personId(), "plus-monthly", "pi_" + id)
                .replace("\"mode\":\"payment\"", "\"mode\":\"subscription\"")
                .replace("\"subscription\":null", "\"subscription\":\"sub_" + id + "\"")
                .replace("\"invoice\":null", "\"invoice\":\"in_" + id + "\"");
        assertThat(store.postStripe(StoreFixture.stripeEvent("evt_m" + id, "checkout.session.completed", session))
                .status()).isEqualTo(200);
    }

    /** The prompt of the last reply request a model server got, as text. */
    static String lastPrompt(ChatUpstream upstream) {
        JsonNode last = upstream.requests().getLast();
        StringBuilder text = new StringBuilder(last.path("model").asString()).append('\n');
        last.path("messages").forEach(m -> text.append(m.path("content").asString()).append('\n'));
        return text.toString();
    }

    @Test
    void aMembersReplyGoesToTheMembersModelAndKeepsMoreOfTheChat() throws Exception {
        Buyer free = store.signUp(30);
        String freeChat = chatWithSeraphina(free);
        send(free, freeChat, "Remember the lighthouse marker one.");
        send(free, freeChat, "Then we walked on.");
        send(free, freeChat, "And now?");
        assertThat(lastPrompt(everyone)).startsWith("app-model").doesNotContain("lighthouse marker one");

        Buyer member = store.signUp(30);
        becomeMember(member);
        int before = members.requests().size();
        String chat = chatWithSeraphina(member);
        send(member, chat, "Remember the lighthouse marker two.");
        send(member, chat, "Then we walked on.");
        send(member, chat, "And now?");
        assertThat(members.requests().size()).isEqualTo(before + 3);
        assertThat(lastPrompt(members)).startsWith("members-model").contains("lighthouse marker two");
    }

    @Test
    void eightAlternativesWithoutAMembershipAndMoreWithOne() throws Exception {
        Buyer free = store.signUp(30);
        String chat = chatWithSeraphina(free);
        send(free, chat, "Hello.");
        for (int i = 2; i <= 8; i++) {
            assertThat(free.browser().post("/chats/" + chat + "/regenerate", Map.of()).status()).isEqualTo(302);
        }
        Browser.Reply ninth = free.browser().post("/chats/" + chat + "/regenerate", Map.of());
        assertThat(ninth.status()).isEqualTo(409);
        assertThat(ninth.body()).contains("This reply has 8 alternatives already, the most without a membership.");

        becomeMember(free);
        assertThat(free.browser().post("/chats/" + chat + "/regenerate", Map.of()).status()).as("a ninth for members")
                .isEqualTo(302);
    }

    @Test
    void whenTheMembersModelFailsTheAppsModelAnswers() throws Exception {
        Buyer member = store.signUp(30);
        becomeMember(member);
        String chat = chatWithSeraphina(member);
        int before = everyone.requests().size();
        members.failWith(503, null);
        try {
            send(member, chat, "Are you there?");
        } finally {
            members.heal();
        }
        assertThat(everyone.requests().size()).isGreaterThan(before);
        assertThat(lastPrompt(everyone)).startsWith("app-model").contains("Are you there?");
        String page = member.browser().get("/chats/" + chat).ok().body();
        assertThat(page).contains("ok ok ok");
    }
}
