package dev.tandem.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.gateway.ActiveStreams;
import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Upstreams that hang, stream too slowly, break off or are full: timeouts hand the call to the next channel before
 * the first byte, a call past its total timeout ends cleanly and bills what was delivered, a full channel queues
 * then refuses as overloaded in each dialect, and thousands of failed calls leak nothing.
 */
class FaultsTest {

    static final String KEY = TandemServer.ADMIN_KEY;
    static ChatUpstream hanging, rescue, slow, narrow, broken, resetting, held;
    static TandemServer server;
    static int index;

    @BeforeAll
    static void start() {
        hanging = new ChatUpstream(10, 3);
        rescue = new ChatUpstream(10, 3);
        slow = new ChatUpstream(10, 20);
        narrow = new ChatUpstream(10, 3);
        broken = new ChatUpstream(10, 3);
        resetting = new ChatUpstream(10, 3);
        held = new ChatUpstream(10, 50);
        Map<String, String> s = new LinkedHashMap<>();
        channel(s, hanging, "ttft", "priority", "0", "first-token-timeout", "300ms", "channel", "hanging");
        channel(s, rescue, "ttft", "priority", "1", "channel", "rescue");
        channel(s, slow, "slowpoke", "total-timeout", "1s");
        channel(s, narrow, "narrow", "max-concurrency", "1", "max-queue", "1", "queue-timeout", "400ms");
        channel(s, broken, "broken");
        channel(s, resetting, "resetting");
        channel(s, held, "held");
        // these tests are about timeouts and leaks: the breakers must not step in
        s.put("tandem.inference.routing.minimum-calls", "1000000");
        s.put("tandem.inference.routing.window", "1000000");
        server = TandemServer.start(s);
    }

    private static void channel(Map<String, String> s, ChatUpstream up, String model, String... extra) {
        s.putAll(up.model(index++, model, extra));
    }

    @AfterAll
    static void stop() {
        Closing.all(server, hanging, rescue, slow, narrow, broken, resetting, held);
    }

    @Test
    void aChannelSilentPastItsFirstTokenTimeoutHandsTheCallOn() {
        hanging.hang();
        try {
            long t0 = System.nanoTime();
            Calls.Reply r = Calls.openAi(server, KEY, "ttft", 5);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            assertThat(r.header("x-tandem-model")).isEqualTo("ttft");
            assertThat(millis).isBetween(250L, 3000L);
            String sse = Calls.drain(Calls.openStream(server, KEY, "ttft", 5));
            assertThat(sse).contains("[DONE]").doesNotContain("error");
            assertThat(hanging.calls()).isEqualTo(2);
            assertThat(rescue.calls()).isEqualTo(2);
        } finally {
            hanging.heal();
        }
    }

    @Test
    void anAnswerPastItsTotalTimeoutEndsCleanlyAndBillsWhatWasDelivered() throws Exception {
        slow.slow(150); // 20 chunks: about 3 s, against a total timeout of 1 s
        try {
            Calls.Reply plain = Calls.openAi(server, KEY, "slowpoke", 30);
            assertThat(plain.status()).isEqualTo(504);
            assertThat(plain.body().path("error").path("message").asString()).contains("total timeout");

            HttpResponse<InputStream> stream = Calls.openStream(server, KEY, "slowpoke", 30);
            String requestId = stream.headers().firstValue("x-request-id").orElseThrow();
            String sse = Calls.drain(stream);
            assertThat(sse).contains("\"content\":\"ok \"").contains("\"error\"").contains("total timeout");
            JdbcClient jdbc = server.context().getBean(JdbcClient.class);
            Thread.sleep(200);
            Map<String, Object> row = jdbc.sql("SELECT status, output_tokens FROM usage_records WHERE model = "
                    + "'slowpoke' AND stream = 1 ORDER BY created_at DESC LIMIT 1").query().singleRow();
            assertThat(row.get("status")).isEqualTo("failed");
            assertThat(((Number) row.get("output_tokens")).longValue()).isBetween(3L, 10L);
            assertThat(requestId).isNotBlank();
        } finally {
            slow.heal();
        }
    }

    @Test
    void aFullChannelQueuesThenRefusesAsOverloadedInEachDialect() throws Exception {
        narrow.hold();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            HttpResponse<InputStream> running = Calls.openStream(server, KEY, "narrow", 5); // holds the one slot
            Future<Calls.Reply> queued = pool.submit(() -> Calls.openAi(server, KEY, "narrow", 5));
            Thread.sleep(100); // the second call waits in the queue of one
            Calls.Reply openAi = Calls.openAi(server, KEY, "narrow", 5);
            assertThat(openAi.status()).isEqualTo(503);
            assertThat(openAi.body().path("error").path("message").asString()).contains("capacity");
            assertThat(openAi.header("retry-after")).isNotNull();
            Calls.Reply anthropic = Calls.anthropic(server, KEY, "narrow", 5);
            assertThat(anthropic.status()).isEqualTo(529);
            assertThat(anthropic.body().path("error").path("type").asString()).isEqualTo("overloaded_error");
            Calls.Reply miniMax = Calls.miniMax(server, KEY, "narrow", 5);
            assertThat(miniMax.body().path("base_resp").path("status_code").asInt()).isNotZero();
            // the queued call gave up after its queue timeout
            assertThat(queued.get().status()).isEqualTo(503);
            narrow.release();
            assertThat(Calls.drain(running)).contains("[DONE]");
            assertThat(Calls.openAi(server, KEY, "narrow", 5).status()).isEqualTo(200);
        } finally {
            narrow.release();
            pool.shutdownNow();
        }
    }

    @Test
    void aClientThatGoesAwayEndsTheUpstreamRequestAtOnce() throws Exception {
        held.slow(100); // 50 chunks, 100 ms apart: 5 s if nobody stopped it
        try {
            // a raw connection, so that going away is a real close of the socket (HTTP clients may drain instead)
            String body = Calls.chatBody("held", 60, true);
            long closed;
            try (Socket socket = new Socket("127.0.0.1", URI.create(server.url("/")).getPort())) {
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                InputStream in = socket.getInputStream();
                StringBuilder seen = new StringBuilder();
                while (!seen.toString().contains("\"content\"")) { // the answer has begun
                    int b = in.read();
                    assertThat(b).isNotNegative();
                    seen.append((char) b);
                }
                socket.setSoLinger(true, 0); // the client goes away mid-answer: the connection is reset
                closed = System.nanoTime();
            }
            long deadline = closed + 5_000_000_000L;
            while (held.brokenStreams() + held.completedStreams() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            double seconds = (System.nanoTime() - closed) / 1e9;
            assertThat(held.completedStreams()).as("the upstream was not read to its end").isZero();
            assertThat(held.brokenStreams()).isEqualTo(1);
            assertThat(seconds).as("upstream request ended %.2f s after the client left", seconds).isLessThan(1.5);
            ActiveStreams active = server.context().getBean(ActiveStreams.class);
            assertThat(active.inFlight()).isZero();
            JdbcClient jdbc = server.context().getBean(JdbcClient.class);
            Thread.sleep(100);
            assertThat(jdbc.sql("SELECT status FROM usage_records WHERE model = 'held'").query(String.class).single())
                    .isEqualTo("client_closed");
        } finally {
            held.heal();
        }
    }

    @Test
    void tenThousandFailedCallsLeakNoThreadsConnectionsOrSlots() throws Exception {
        // warm up every path once, then measure
        failMany(200);
        System.gc();
        Thread.sleep(500);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long fdsBefore = openFiles();

        failMany(10_000);

        Thread.sleep(1000);
        System.gc();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        long fdsAfter = openFiles();
        ActiveStreams active = server.context().getBean(ActiveStreams.class);
        Inference inference = server.context().getBean(Inference.class);
        System.out.printf("leak check: threads %d -> %d, open files %d -> %d%n", threadsBefore, threadsAfter,
                fdsBefore, fdsAfter);
        assertThat(active.inFlight()).isZero();
        assertThat(inference.channels()).filteredOn(c -> c.model().equals("narrow"))
                .allSatisfy(c -> assertThat(c.running()).isZero());
        assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 10);
        assertThat(fdsAfter).isLessThanOrEqualTo(fdsBefore + 20);
    }

    /** Calls that fail in two ways: upstream 500s, and streams broken off after their first chunk. */
    private static void failMany(int n) throws Exception {
        broken.failWith(500, null);
        resetting.resetAfterFirstChunk();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean stream = i % 10 == 0;
                all.add(pool.submit(() -> {
                    if (stream) {
                        String sse = Calls.drain(Calls.openStream(server, KEY, "resetting", 5));
                        if (!sse.contains("\"error\"")) {
                            throw new AssertionError("a broken stream must end with an error event: " + sse);
                        }
                        return sse;
                    }
                    Calls.Reply r = Calls.openAi(server, KEY, "broken", 5);
                    if (r.status() != 502) {
                        throw new AssertionError("HTTP " + r.status() + ": " + r.body());
                    }
                    return r;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            broken.heal();
            resetting.heal();
        }
    }

    private static long openFiles() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
