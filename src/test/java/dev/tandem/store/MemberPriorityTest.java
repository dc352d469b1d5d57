package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.Inference;
import dev.tandem.store.StoreFixture.Buyer;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Closing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The membership's "priority replies": where the app's model is busy, a member's reply is let in ahead of replies
 * that were waiting before it; without a membership, replies wait in arrival order. The model runs one reply at a
 * time here, and its server holds the first until the queue is built.
 */
class MemberPriorityTest {

    static ChatUpstream model;
    static StoreFixture store;

    @BeforeAll
    static void start() throws Exception {
        model = new ChatUpstream(50, 3);
        Map<String, String> s = new LinkedHashMap<>(model.model(0, "app-model", "max-concurrency", "1", "max-queue",
                "16", "queue-timeout", "60s"));
        s.put("tandem.companion.model", "app-model");
        s.put("tandem.companion.context-tokens", "16384");
        s.put("tandem.companion.reply-tokens", "24");
        store = StoreFixture.start("sqlite", s);
    }

    @AfterAll
    static void stop() {
        Closing.all(store, model);
    }

    static int queued() {
        return store.server.context().getBean(Inference.class).channels().stream()
                .filter(c -> c.model().equals("app-model")).mapToInt(ChannelStatus::queued).sum();
    }

    static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - until).as(what).isNegative();
            Thread.sleep(5);
        }
    }

    @Test
    void aMembersReplyGoesAheadOfRepliesWaitingBeforeIt() throws Exception {
        Buyer first = store.signUp(30);
        Buyer second = store.signUp(30);
        Buyer third = store.signUp(30);
        Buyer member = store.signUp(30);
        store.becomeMember(member);
        String[] chats = {store.chatWithSeraphina(first), store.chatWithSeraphina(second),
            store.chatWithSeraphina(third), store.chatWithSeraphina(member)};
        Buyer[] who = {first, second, third, member};
        String[] text = {"first in line", "second in line", "third in line", "member in line"};
        int before = model.requests().size();
        model.hold();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                sends.add(pool.submit(() -> {
                    store.send(who[n], chats[n], text[n]);
                    return null;
                }));
                if (n == 0) {
                    await("the first reply streaming", () -> model.openStreams() == 1);
                } else {
                    await(n + " replies waiting", () -> queued() == n);
                }
            }
            model.release();
            for (Future<?> f : sends) {
                f.get();
            }
        } finally {
            model.release();
        }
        List<String> served = new ArrayList<>();
        List<JsonNode> requests = model.requests();
        for (JsonNode r : requests.subList(before, requests.size())) {
            String prompt = r.path("messages").toString();
            for (String t : text) {
                if (prompt.contains(t)) {
                    served.add(t);
                }
            }
        }
        assertThat(served).containsExactly("first in line", "member in line", "second in line", "third in line");
    }
}
