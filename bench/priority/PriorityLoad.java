import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Two organizations share a busy model: STANDARD callers of an ordinary organization and PRIORITY callers of one
 * with the priority tier, each calling {@code /v1/chat/completions} (streamed) in a loop until the deadline. In
 * phase {@code fifo} the priority organization asks for {@code service_tier: "default"} (everyone in arrival
 * order); in phase {@code priority} it sends no tier (its organization's: first in the queue). Prints, per group,
 * calls, errors and time to first token (p50/p95/p99, ms). Loopback only; loops end at the deadline.
 *
 * <pre>java PriorityLoad.java BASE_URL fifo|priority STANDARD_KEY PRIORITY_KEY STANDARD PRIORITY SECONDS</pre>
 */
public class PriorityLoad {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    record Sample(long ttftMillis, boolean ok) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String phase = args[1];
        String standardKey = args[2];
        String priorityKey = args[3];
        int standard = Integer.parseInt(args[4]);
        int priority = Integer.parseInt(args[5]);
        long seconds = Long.parseLong(args[6]);
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        String tier = phase.equals("fifo") ? ",\"service_tier\":\"default\"" : "";
        List<Sample> standardSamples = Collections.synchronizedList(new ArrayList<>());
        List<Sample> prioritySamples = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < standard + priority; i++) {
                boolean first = i < priority;
                int n = i;
                pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        Sample s = call(base, first ? priorityKey : standardKey, first ? tier : "", n);
                        if (System.nanoTime() < deadline) { // a call cut by the end of the run is not counted
                            (first ? prioritySamples : standardSamples).add(s);
                        }
                    }
                    return null;
                });
            }
        }
        report(phase, "standard", standard, standardSamples);
        report(phase, "priority", priority, prioritySamples);
    }

    static Sample call(String base, String key, String tier, int caller) {
        long start = System.nanoTime();
        String body = "{\"model\":\"stories\",\"stream\":true,\"max_tokens\":48,\"temperature\":0.8" + tier
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time, caller " + caller
                + " met a\"}]}";
        try {
            HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(base
                            + "/v1/chat/completions")).timeout(Duration.ofMinutes(3))
                    .header("authorization", "Bearer " + key).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                System.err.println("HTTP " + r.statusCode() + ": "
                        + new String(r.body().readNBytes(300), StandardCharsets.UTF_8));
                r.body().close();
                return new Sample(0, false);
            }
            long ttft = -1;
            boolean done = false;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    // the first text: the stream opens with an empty role chunk, which is not a token
                    if (ttft < 0 && line.startsWith("data: {") && line.contains("\"content\":\"")
                            && !line.contains("\"content\":\"\"")) {
                        ttft = (System.nanoTime() - start) / 1_000_000;
                    }
                    done |= line.startsWith("data: [DONE]");
                }
            }
            return new Sample(ttft < 0 ? (System.nanoTime() - start) / 1_000_000 : ttft, done);
        } catch (Exception e) {
            System.err.println("call failed: " + e);
            return new Sample(0, false);
        }
    }

    static void report(String phase, String group, int callers, List<Sample> samples) {
        List<Long> ttft = samples.stream().filter(Sample::ok).map(Sample::ttftMillis).sorted().toList();
        long errors = samples.stream().filter(s -> !s.ok()).count();
        System.out.printf("%s\t%s\tcallers=%d\tcalls=%d\terrors=%d\tttft_p50=%d\tttft_p95=%d\tttft_p99=%d%n", phase,
                group, callers, ttft.size(), errors, pct(ttft, 50), pct(ttft, 95), pct(ttft, 99));
    }

    static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
