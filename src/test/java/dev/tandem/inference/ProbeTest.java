package dev.tandem.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A channel left out by its breaker is probed in the background and comes back without client traffic. */
class ProbeTest {

    static ChatUpstream main, other;
    static TandemServer server;

    @BeforeAll
    static void start() {
        main = new ChatUpstream(10, 3);
        other = new ChatUpstream(10, 3);
        Map<String, String> s = new LinkedHashMap<>(main.model(0, "probed", "channel", "main"));
        s.putAll(other.model(1, "probed", "channel", "other", "priority", "1"));
        s.put("tandem.inference.routing.minimum-calls", "3");
        s.put("tandem.inference.routing.window", "3");
        s.put("tandem.inference.routing.open-for", "1s");
        s.put("tandem.inference.routing.probe-calls", "1");
        s.put("tandem.inference.routing.probe-interval", "200ms");
        server = TandemServer.start(s);
    }

    @AfterAll
    static void stop() {
        Closing.all(server, main, other);
    }

    static String state() {
        return server.context().getBean(Inference.class).channels().stream()
                .filter(c -> c.channel().equals("main")).findFirst().orElseThrow().state();
    }

    @Test
    void aChannelLeftOutIsProbedAndTakenBackOnItsOwn() throws Exception {
        main.failWith(500, null);
        for (int i = 0; i < 3; i++) {
            assertThat(Calls.openAi(server, TandemServer.ADMIN_KEY, "probed", 5).status()).isEqualTo(200);
        }
        assertThat(state()).isEqualTo("open");
        // failing probes keep it out
        Thread.sleep(2500);
        assertThat(state()).isEqualTo("open");
        int probed = main.calls();
        assertThat(probed).isGreaterThan(3);

        main.heal();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!state().equals("closed") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(state()).isEqualTo("closed");
        int before = other.calls();
        assertThat(Calls.openAi(server, TandemServer.ADMIN_KEY, "probed", 5).status()).isEqualTo(200);
        assertThat(other.calls()).isEqualTo(before);
    }
}
