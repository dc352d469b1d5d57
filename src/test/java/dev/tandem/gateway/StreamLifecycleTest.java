package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.TandemServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

/**
 * The life of a stream beyond its happy path: a client that disconnects frees the engine slot at once, and a
 * node that shuts down lets short streams finish and ends long ones cleanly with an error event.
 */
class StreamLifecycleTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A stream that cannot end early: the grammar demands a very long string, so it runs to max_tokens. */
    static String endless(String model, int maxTokens) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\","
                + "\"schema\":{\"type\":\"string\",\"minLength\":50000}}}}";
    }

    static Map<String, String> singleSlot() {
        Map<String, String> s = TandemServer.storiesSettings();
        s.put("tandem.inference.models[0].context-size", "4096");
        s.put("tandem.inference.models[0].parallel", "1");
        s.put("tandem.inference.models[0].max-queue", "0");
        return s;
    }

    static HttpRequest post(TandemServer server, String body) {
        return HttpRequest.newBuilder(URI.create(server.url("/v1/chat/completions")))
                .header("authorization", "Bearer " + TandemServer.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static List<ChatCompleted> record(TandemServer server) {
        List<ChatCompleted> events = new CopyOnWriteArrayList<>();
        server.context().addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
            if (e.getPayload() instanceof ChatCompleted c) {
                events.add(c);
            }
        });
        return events;
    }

    @Test
    void closingAStreamFreesTheSlotForTheNextRequestAtOnce() throws Exception {
        try (TandemServer server = TandemServer.start(singleSlot())) {
            List<ChatCompleted> completed = record(server);
            HttpResponse<InputStream> first = HTTP.send(post(server, endless("stories", 4000)),
                    HttpResponse.BodyHandlers.ofInputStream());
            InputStream in = first.body();
            in.readNBytes(2000); // tokens are flowing: the only slot is taken
            HttpResponse<String> refused = HTTP.send(post(server, "{\"model\":\"stories\",\"max_tokens\":2,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("the slot is busy while the stream runs").isEqualTo(503);

            long closedAt = System.nanoTime();
            in.close();
            int status = 0;
            while (System.nanoTime() - closedAt < TimeUnit.SECONDS.toNanos(2)) {
                status = HTTP.send(post(server, "{\"model\":\"stories\",\"max_tokens\":2,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
                if (status == 200) {
                    break;
                }
            }
            long freedMillis = (System.nanoTime() - closedAt) / 1_000_000;

            assertThat(status).isEqualTo(200);
            assertThat(freedMillis).as("slot freed after the disconnect").isLessThan(1000);
            ChatCompleted cut = completed.stream().filter(c -> c.stream()).findFirst().orElseThrow();
            assertThat(cut.outcome()).isEqualTo("client_closed");
            assertThat(cut.usage().outputTokens()).as("billed for what was produced").isBetween(1, 3999);
        }
    }

    @Test
    void shutdownLetsShortStreamsFinishAndEndsLongOnesWithAnErrorEvent() throws Exception {
        Map<String, String> s = TandemServer.storiesSettings();
        s.put("tandem.inference.models[0].context-size", "8192");
        s.put("tandem.inference.models[0].parallel", "2");
        s.put("tandem.gateway.shutdown-grace", "1s");
        TandemServer server = TandemServer.start(s);
        HttpResponse<InputStream> longOne = HTTP.send(post(server, endless("stories", 8000)),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader longReader = new BufferedReader(new InputStreamReader(longOne.body(), StandardCharsets.UTF_8));
        longReader.readLine();
        HttpResponse<InputStream> shortOne = HTTP.send(post(server, "{\"model\":\"stories\",\"max_tokens\":300,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Once\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\","
                + "\"schema\":{\"type\":\"string\",\"maxLength\":200}}}}"), HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader shortReader = new BufferedReader(new InputStreamReader(shortOne.body(), StandardCharsets.UTF_8));
        shortReader.readLine();

        long started = System.nanoTime();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(server::close);
        List<String> shortLines = readAll(shortReader);
        List<String> longLines = readAll(longReader);
        shutdown.get(20, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(shortLines).as("the short stream finishes normally").contains("data: [DONE]");
        assertThat(String.join("\n", longLines)).as("the long stream ends with an error event")
                .contains("\"error\"").contains("shutting down").doesNotContain("[DONE]");
        assertThat(took).as("bounded by the grace period").isLessThan(Duration.ofSeconds(10));
    }

    private static List<String> readAll(BufferedReader reader) throws Exception {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            lines.add(line);
        }
        return lines;
    }
}
