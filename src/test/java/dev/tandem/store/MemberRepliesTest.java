package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.store.StoreFixture.Buyer;
import dev.tandem.support.Browser;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Closing;
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
        String freeChat = store.chatWithSeraphina(free);
        store.send(free, freeChat, "Remember the lighthouse marker one.");
        store.send(free, freeChat, "Then we walked on.");
        store.send(free, freeChat, "And now?");
        assertThat(lastPrompt(everyone)).startsWith("app-model").doesNotContain("lighthouse marker one");

        Buyer member = store.signUp(30);
        store.becomeMember(member);
        int before = members.requests().size();
        String chat = store.chatWithSeraphina(member);
        store.send(member, chat, "Remember the lighthouse marker two.");
        store.send(member, chat, "Then we walked on.");
        store.send(member, chat, "And now?");
        assertThat(members.requests().size()).isEqualTo(before + 3);
        assertThat(lastPrompt(members)).startsWith("members-model").contains("lighthouse marker two");
    }

    @Test
    void eightAlternativesWithoutAMembershipAndMoreWithOne() throws Exception {
        Buyer free = store.signUp(30);
        String chat = store.chatWithSeraphina(free);
        store.send(free, chat, "Hello.");
        for (int i = 2; i <= 8; i++) {
            assertThat(free.browser().post("/chats/" + chat + "/regenerate", Map.of()).status()).isEqualTo(302);
        }
        Browser.Reply ninth = free.browser().post("/chats/" + chat + "/regenerate", Map.of());
        assertThat(ninth.status()).isEqualTo(409);
        assertThat(ninth.body()).contains("This reply has 8 alternatives already, the most without a membership.");

        store.becomeMember(free);
        assertThat(free.browser().post("/chats/" + chat + "/regenerate", Map.of()).status()).as("a ninth for members")
                .isEqualTo(302);
    }

    @Test
    void whenTheMembersModelFailsTheAppsModelAnswers() throws Exception {
        Buyer member = store.signUp(30);
        store.becomeMember(member);
        String chat = store.chatWithSeraphina(member);
        int before = everyone.requests().size();
        members.failWith(503, null);
        try {
            store.send(member, chat, "Are you there?");
        } finally {
            members.heal();
        }
        assertThat(everyone.requests().size()).isGreaterThan(before);
        assertThat(lastPrompt(everyone)).startsWith("app-model").contains("Are you there?");
        String page = member.browser().get("/chats/" + chat).ok().body();
        assertThat(page).contains("ok ok ok");
    }
}
