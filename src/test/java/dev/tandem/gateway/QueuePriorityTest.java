package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Usage;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.Inference;
import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
import java.io.InputStream;
import java.net.http.HttpResponse;
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
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Where a model is busy, calls wait by priority: an organization the platform owner gave the priority tier goes
 * first (by default, or asking with OpenAI's {@code service_tier: "priority"}), everyone else waits in arrival order
 * whatever they ask for, and {@code "flex"} lets the others go first. The channel runs one call at a time; its
 * upstream holds the first stream until the queue is built.
 */
class QueuePriorityTest {

    static ChatUpstream upstream;
    static TandemServer server;
    static String standardKey;
    static String priorityKey;

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(10, 3);
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "busy", "max-concurrency", "1", "max-queue",
                "16", "queue-timeout", "30s"));
        server = TandemServer.start(s);
        Admin admin = new Admin(server);
        String standard = admin.prepaidOrganization("standard");
        String priority = admin.prepaidOrganization("priority");
        admin.grant(standard, "100", "g-standard");
        admin.grant(priority, "100", "g-priority");
        Admin.Reply refused = new Admin(server, admin.key(priority, "admin", "")).call("PATCH",
                "/v1/admin/organizations/" + priority, "{\"priority_tier\":true}");
        assertThat(refused.status()).as("an organization cannot give itself the tier").isEqualTo(403);
        Admin.Reply set = admin.call("PATCH", "/v1/admin/organizations/" + priority, "{\"priority_tier\":true}");
        assertThat(set.ok().path("priority_tier").asBoolean()).isTrue();
        assertThat(admin.call("GET", "/v1/admin/organizations/" + standard, null).ok().path("priority_tier")
                .asBoolean()).isFalse();
        standardKey = admin.key(standard, "developer", "");
        priorityKey = admin.key(priority, "developer", "");
    }

    @AfterAll
    static void stop() {
        Closing.all(server, upstream);
    }

    static String body(String marker, String tierField) {
        return "{\"model\":\"busy\",\"max_tokens\":3,\"stream\":false," + tierField
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + marker + "\"}]}";
    }

    static int queued() {
        return server.context().getBean(Inference.class).channels().stream().filter(c -> c.model().equals("busy"))
                .mapToInt(ChannelStatus::queued).sum();
    }

    static void awaitQueued(int n) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (queued() < n) {
            assertThat(System.nanoTime() - until).as("%d calls waiting for the channel", n).isNegative();
            Thread.sleep(5);
        }
    }

    /** The markers of the calls the upstream got, in the order it got them, from index {@code from} on. */
    static List<String> servedSince(int from) {
        List<String> out = new ArrayList<>();
        List<JsonNode> requests = upstream.requests();
        for (JsonNode r : requests.subList(from, requests.size())) {
            out.add(r.path("messages").get(r.path("messages").size() - 1).path("content").asString());
        }
        return out;
    }

    @Test
    void callsWaitingForABusyModelAreServedByPriorityThenArrival() throws Exception {
        int before = upstream.requests().size();
        upstream.hold();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpResponse<InputStream> running = Calls.openStream(server, standardKey, "busy", 3); // the one slot
            List<Future<Calls.Reply>> waiting = new ArrayList<>();
            String[][] calls = {
                {standardKey, "standard-asks-priority", "\"service_tier\":\"priority\","},
                {priorityKey, "priority-flex", "\"service_tier\":\"flex\","},
                {standardKey, "standard-default", ""},
                {priorityKey, "priority-by-default", ""},
                {priorityKey, "priority-asks-default", "\"service_tier\":\"default\","},
                {priorityKey, "priority-asks-priority", "\"service_tier\":\"priority\","},
            };
            for (int i = 0; i < calls.length; i++) {
                String[] c = calls[i];
                waiting.add(pool.submit(() -> Calls.post(server, "/v1/chat/completions", c[0], body(c[1], c[2]),
                        null)));
                awaitQueued(i + 1);
            }
            upstream.release();
            assertThat(Calls.drain(running)).contains("[DONE]");
            for (Future<Calls.Reply> f : waiting) {
                Calls.Reply r = f.get();
                assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            }
        } finally {
            upstream.release();
        }
        List<String> served = servedSince(before);
        assertThat(served).hasSize(7);
        assertThat(served.subList(1, 7)).containsExactly("priority-by-default", "priority-asks-priority",
                "standard-asks-priority", "standard-default", "priority-asks-default", "priority-flex");
    }

    @Test
    void theSdksSendTheirTiersAndAWrongTierIsAClearErrorInEachDialect() throws Exception {
        OpenAIClient openAi = OpenAIOkHttpClient.builder().apiKey(priorityKey).baseUrl(server.openAiBaseUrl())
                .build();
        ChatCompletion flex = openAi.chat().completions().create(ChatCompletionCreateParams.builder().model("busy")
                .addUserMessage("flex please").maxCompletionTokens(3)
                .serviceTier(ChatCompletionCreateParams.ServiceTier.FLEX).build());
        assertThat(flex.choices()).hasSize(1);
        assertThat(flex.serviceTier()).contains(ChatCompletion.ServiceTier.FLEX);
        assertThat(upstream.requests().getLast().toString()).contains("flex please");
        ChatCompletion auto = openAi.chat().completions().create(ChatCompletionCreateParams.builder().model("busy")
                .addUserMessage("auto").maxCompletionTokens(3).build());
        assertThat(auto.serviceTier()).as("the organization's tier").contains(ChatCompletion.ServiceTier.PRIORITY);
        OpenAIClient standard = OpenAIOkHttpClient.builder().apiKey(standardKey).baseUrl(server.openAiBaseUrl())
                .build();
        ChatCompletion asked = standard.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("busy").addUserMessage("priority?").maxCompletionTokens(3)
                .serviceTier(ChatCompletionCreateParams.ServiceTier.PRIORITY).build());
        assertThat(asked.serviceTier()).as("served at the tier it has, not the one it asked for")
                .contains(ChatCompletion.ServiceTier.DEFAULT);
        try (StreamResponse<ChatCompletionChunk> chunks = openAi.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("busy").addUserMessage("stream").maxCompletionTokens(3)
                        .build())) {
            assertThat(chunks.stream().toList()).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.serviceTier()).contains(ChatCompletionChunk.ServiceTier.PRIORITY));
        }
        Assertions.assertThatThrownBy(() -> openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("busy").addUserMessage("x").maxCompletionTokens(3)
                        .serviceTier(ChatCompletionCreateParams.ServiceTier.of("premium")).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("Invalid value: 'premium'");

        AnthropicClient anthropic = AnthropicOkHttpClient.builder().apiKey(priorityKey)
                .baseUrl(server.anthropicBaseUrl()).build();
        Message standardOnly = anthropic.messages().create(MessageCreateParams.builder().model("busy").maxTokens(3)
                .addUserMessage("standard only please")
                .serviceTier(MessageCreateParams.ServiceTier.STANDARD_ONLY).build());
        assertThat(standardOnly.content()).isNotEmpty();
        assertThat(standardOnly.usage().serviceTier()).contains(Usage.ServiceTier.STANDARD);
        assertThat(anthropic.messages().create(MessageCreateParams.builder().model("busy").maxTokens(3)
                .addUserMessage("auto").build()).usage().serviceTier()).contains(Usage.ServiceTier.PRIORITY);
        Calls.Reply wrong = Calls.post(server, "/v1/messages", priorityKey, "{\"model\":\"busy\",\"max_tokens\":3,"
                + "\"service_tier\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", null);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body().path("type").asString()).isEqualTo("error");
        assertThat(wrong.body().path("error").path("message").asString())
                .isEqualTo("service_tier: Input should be 'auto' or 'standard_only'");
    }
}
