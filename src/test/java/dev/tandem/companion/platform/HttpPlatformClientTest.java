package dev.tandem.companion.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.QueuePriority;
import dev.tandem.inference.Role;
import dev.tandem.inference.Sampling;
import dev.tandem.support.ChatUpstream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the app's HTTP platform client puts on the wire: the reply's sampling, stops and tier, as OpenAI's dialect. */
class HttpPlatformClientTest {

    @Test
    void aReplysSamplingStopsAndTierReachTheRemotePlatform() throws Exception {
        try (ChatUpstream upstream = new ChatUpstream(10, 3)) {
            HttpPlatformClient client = new HttpPlatformClient(upstream.baseUrl().replaceAll("/v1$", ""), "sk-app",
                    Duration.ofSeconds(10), JsonMapper.builder().build());
            ChatRequest request = ChatRequest.of("m", List.of(ChatMessage.of(Role.USER, "Hello.")))
                    .withSampling(new Sampling(24, 0.8, 0.95, null, null,
                            List.of("\nPat:", "\nLyra:", "\nOrin:", "\nMira:", "\nSera:"), false))
                    .withPriority(QueuePriority.HIGH);
            StringBuilder text = new StringBuilder();
            try (ChatStream stream = client.chat(request, "cht_1")) {
                ChatEvent e;
                while ((e = stream.next()) != null) {
                    if (e instanceof ChatEvent.TextDelta d) {
                        text.append(d.text());
                    }
                }
            }
            assertThat(text.toString()).contains("ok");
            JsonNode sent = upstream.lastStreamedBody();
            assertThat(sent.path("max_tokens").asInt()).isEqualTo(24);
            assertThat(sent.path("top_p").asDouble()).isEqualTo(0.95);
            assertThat(sent.path("stop")).as("OpenAI's dialect takes 4").hasSize(4);
            assertThat(sent.path("stop").get(0).asString()).isEqualTo("\nPat:");
            assertThat(sent.path("service_tier").asString()).isEqualTo("priority");
        }
    }
}
