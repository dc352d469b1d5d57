package dev.tandem.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With one of a model's two channels down (nothing listens on its port), 200 requests a second for a minute
 * reach their clients with at most 0.1% errors, with the default breaker settings.
 */
class OneChannelDownTest {

    static ChatUpstream up;
    static TandemServer server;

    @BeforeAll
    static void start() throws Exception {
        up = new ChatUpstream(10, 3);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> s = new LinkedHashMap<>(up.model(0, "halfdown", "channel", "up"));
        s.put("tandem.inference.models[1].id", "halfdown");
        s.put("tandem.inference.models[1].engine", "openai");
        s.put("tandem.inference.models[1].base-url", "http://127.0.0.1:" + closedPort + "/v1");
        s.put("tandem.inference.models[1].channel", "down");
        server = TandemServer.start(s);
    }

    @AfterAll
    static void stop() {
        Closing.all(server, up);
    }

    @Test
    void twoHundredRequestsASecondForAMinuteWithOneChannelDown() throws Exception {
        int rate = 200;
        int total = rate * 60;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                pool.submit(() -> {
                    int status = Calls.openAi(server, TandemServer.ADMIN_KEY, "halfdown", 5).status();
                    (status == 200 ? ok : failed).incrementAndGet();
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("one channel down: %d ok, %d failed in %.1f s (%.0f req/s offered)%n", ok.get(),
                failed.get(), seconds, total / seconds);
        assertThat(ok.get() + failed.get()).isEqualTo(total);
        assertThat(failed.get()).isLessThanOrEqualTo(total / 1000);
        assertThat(server.context().getBean(Inference.class).channels()).filteredOn(c -> c.channel().equals("down"))
                .allSatisfy(c -> assertThat(c.state()).isIn("open", "half_open"));
    }
}
