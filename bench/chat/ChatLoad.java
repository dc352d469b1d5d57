import dev.tandem.companion.CharacterCard;
import dev.tandem.companion.PromptBuilder;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Simulated people chatting at once, for a fixed time (bounded loops, loopback only).
 *
 * <pre>java -cp … ChatLoad.java BASE_URL app|api PEOPLE SECONDS [ADMIN_KEY]</pre>
 *
 * app: each person signs up, starts a chat with the same public character (a short one, made once) and sends a
 * message, reads the streamed reply to its end, thinks 1–3 s, and again, until the time is up. Time to first token
 * is from sending to the first {@code delta} event.
 * api: the same people call {@code /v1/chat/completions} (streamed) directly, each keeping its own chat and sending
 * the prompt the app would build at that point (same card, budget and window; no memory, lorebook or database),
 * with the admin key: the platform without the app around it.
 * Prints one line: turns, errors, TTFT p50/p95/p99 and whole-reply p50/p95 in ms, turns/s.
 */
public class ChatLoad {

    static final String[] LINES = {"Hello, who are you and where am I?", "I love hiking in the mountains near my home.",
        "Tell me about this forest, please.", "My sister works as a nurse in Leeds.", "What should I do next?",
        "Can you tell me a story about the stars?", "I am a little scared of the dark woods.",
        "Thank you for helping me, you are very kind."};
    static final JsonMapper JSON = JsonMapper.builder().build();

    record Sample(long ttftNanos, long totalNanos, boolean ok) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String mode = args[1];
        int people = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        String adminKey = args.length > 4 ? args[4] : "";
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicInteger setupErrors = new AtomicInteger();
        String character = mode.equals("app") ? createCharacter(base) : null;
        CharacterCard card = card();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            int person = p;
            threads.add(Thread.ofVirtual().start(() -> {
                SplittableRandom random = new SplittableRandom(person);
                try {
                    Person who = mode.equals("app") ? Person.signUp(base, person) : null;
                    String chat = who == null ? null : who.startChat(character);
                    List<PromptBuilder.Turn> history = new ArrayList<>();
                    history.add(new PromptBuilder.Turn("assistant", card.firstMessage()));
                    while (System.nanoTime() < deadline) {
                        String line = LINES[random.nextInt(LINES.length)];
                        Sample s = who != null ? who.send(chat, line) : api(base, adminKey, card, history, line);
                        if (System.nanoTime() < deadline) { // a turn cut by the end of the run is not counted
                            samples.add(s);
                        }
                        Thread.sleep(1000 + random.nextInt(2000));
                    }
                } catch (Exception e) {
                    setupErrors.incrementAndGet();
                    System.err.println("person " + person + ": " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (deadline - started) / 1e9;
        List<Sample> all = new ArrayList<>(samples);
        List<Long> ttft = all.stream().filter(Sample::ok).map(s -> s.ttftNanos() / 1_000_000).sorted().toList();
        List<Long> total = all.stream().filter(Sample::ok).map(s -> s.totalNanos() / 1_000_000).sorted().toList();
        long errors = all.stream().filter(s -> !s.ok()).count() + setupErrors.get();
        System.out.printf("%s\tpeople=%d\tseconds=%.0f\tturns=%d\terrors=%d\tttft_p50=%d\tttft_p95=%d\tttft_p99=%d"
                        + "\treply_p50=%d\treply_p95=%d\tturns_per_s=%.1f%n", mode, people, elapsed, ttft.size(), errors,
                pct(ttft, 50), pct(ttft, 95), pct(ttft, 99), pct(total, 50), pct(total, 95), ttft.size() / elapsed);
    }

    static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** A person at the app: cookies, the CSRF token of their pages. */
    static final class Person {
        final String base;
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10)).build();
        String csrf = "";

        Person(String base) {
            this.base = base;
        }

        static Person signUp(String base, int n) throws Exception {
            Person p = new Person(base);
            String handle = "load" + n + "_" + Long.toHexString(System.nanoTime() & 0xfffff);
            HttpResponse<String> up = p.form("/sign-up", Map.of("email", handle + "@example.com", "name", "Load " + n, "handle", handle,
                    "password", "correct horse battery", "birth_date", "1990-01-01"));
            if (up.statusCode() != 302) {
                throw new IllegalStateException("sign-up: HTTP " + up.statusCode() + " "
                        + up.body().replaceAll("(?s).*<p[^>]*role=\"alert\"[^>]*>([^<]*)<.*", "$1"));
            }
            Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(p.get("/me"));
            if (!m.find()) {
                throw new IllegalStateException("not signed in");
            }
            p.csrf = m.group(1);
            return p;
        }

        String startChat(String character) throws Exception {
            HttpResponse<String> r = form("/c/" + character + "/chats", Map.of("_csrf", csrf));
            if (r.statusCode() != 302) {
                throw new IllegalStateException("start chat: HTTP " + r.statusCode() + " "
                        + r.body().replaceAll("(?s).*<p[^>]*role=\"alert\"[^>]*>([^<]*)<.*", "$1"));
            }
            return r.headers().firstValue("location").orElseThrow().replaceAll(".*/chats/", "");
        }

        Sample send(String chat, String text) {
            long start = System.nanoTime();
            try {
                HttpResponse<java.io.InputStream> r = http.send(post("/chats/" + chat + "/send",
                        Map.of("_csrf", csrf, "text", text)).header("accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                return read(r, start, "event: delta", "event: done", "event: error");
            } catch (Exception e) {
                System.err.println("send failed: " + e);
                return new Sample(0, System.nanoTime() - start, false);
            }
        }

        String get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        HttpResponse<String> form(String path, Map<String, String> fields) throws Exception {
            return http.send(post(path, fields).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpRequest.Builder post(String path, Map<String, String> fields) {
            String body = fields.entrySet().stream().map(e -> e.getKey() + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                    .header("content-type", "application/x-www-form-urlencoded").header("origin", base)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        }
    }

    /** Reads an SSE answer line by line: when the first token came, and whether it ended well. */
    static Sample read(HttpResponse<java.io.InputStream> r, long start, String first, String done, String error)
            throws Exception {
        return read(r, start, first, done, error, null);
    }

    static final Pattern CONTENT = Pattern.compile("\"content\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    static boolean hasText(String line) {
        Matcher m = CONTENT.matcher(line);
        return m.find() && !m.group(1).isEmpty();
    }

    static Sample read(HttpResponse<java.io.InputStream> r, long start, String first, String done, String error,
            StringBuilder text) throws Exception {
        if (r.statusCode() != 200) {
            System.err.println("HTTP " + r.statusCode() + ": " + new String(r.body().readNBytes(300), StandardCharsets.UTF_8));
            r.body().close();
            return new Sample(0, System.nanoTime() - start, false);
        }
        long ttft = -1;
        boolean ok = false;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                // the first text: an OpenAI stream opens with an empty role chunk, which is not a token
                if (ttft < 0 && line.startsWith(first) && (!line.startsWith("data: {") || hasText(line))) {
                    ttft = System.nanoTime() - start;
                }
                if (text != null && line.startsWith("data: {")) {
                    Matcher m = CONTENT.matcher(line);
                    if (m.find()) {
                        text.append(JSON.readValue("\"" + m.group(1) + "\"", String.class));
                    }
                }
                if (line.startsWith(done)) {
                    ok = true;
                }
                if (error != null && line.startsWith(error)) {
                    System.err.println("reply failed: " + in.readLine());
                    return new Sample(0, System.nanoTime() - start, false);
                }
            }
        }
        return new Sample(ttft < 0 ? System.nanoTime() - start : ttft, System.nanoTime() - start, ok);
    }

    static final HttpClient API = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * One turn straight to the API with the prompt the app would build at this point of the chat: the same card,
     * budget (1,024 tokens, 32 for the reply) and window of the last 40 lines; no memory, lorebook or database.
     */
    static Sample api(String base, String key, CharacterCard card, List<PromptBuilder.Turn> history, String line) {
        long start = System.nanoTime();
        history.add(new PromptBuilder.Turn("user", line));
        List<PromptBuilder.Turn> window = history.subList(Math.max(0, history.size() - 40), history.size());
        PromptBuilder.Prompt p = PromptBuilder.build(card, new PromptBuilder.Persona("Load", ""), window, null,
                List.of(), 1024, 32, t -> t.length() / 3 + 1, "Write {{char}}'s next reply in a fictional chat "
                        + "between {{char}} and {{user}}.", new SplittableRandom(1));
        try {
            ObjectNode body = JSON.createObjectNode().put("model", "stories").put("stream", true)
                    .put("max_tokens", 32).put("temperature", 0.8);
            ArrayNode messages = body.putArray("messages");
            for (PromptBuilder.Message m : p.messages()) {
                messages.addObject().put("role", m.role()).put("content", m.text());
            }
            HttpResponse<java.io.InputStream> r = API.send(HttpRequest.newBuilder(URI.create(base
                            + "/v1/chat/completions")).timeout(Duration.ofMinutes(2))
                    .header("authorization", "Bearer " + key).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            StringBuilder reply = new StringBuilder();
            Sample s = read(r, start, "data: {", "data: [DONE]", null, reply);
            history.add(new PromptBuilder.Turn("assistant", reply.isEmpty() ? "…" : reply.toString()));
            return s;
        } catch (Exception e) {
            System.err.println("api call failed: " + e);
            return new Sample(0, System.nanoTime() - start, false);
        }
    }

    static final Map<String, String> FIELDS = Map.of("name", "Mira", "tagline", "A kind forest ranger",
            "description", "Mira is a forest ranger who lives in a small cabin by the lake. She knows every tree "
                    + "and bird of the valley and tells stories to travellers by the fire.",
            "personality", "warm, curious, patient", "scenario", "{{user}} meets Mira on a trail at dusk.",
            "firstMessage", "Hello there, traveller! The path gets dark soon. Would you like to walk with me?",
            "tags", "forest, cozy", "visibility", "public", "rating", "everyone");

    /** The same character as a card, for the api phase's prompt. */
    static CharacterCard card() {
        ObjectNode data = JSON.createObjectNode();
        data.put("name", FIELDS.get("name")).put("description", FIELDS.get("description"))
                .put("personality", FIELDS.get("personality")).put("scenario", FIELDS.get("scenario"))
                .put("first_mes", FIELDS.get("firstMessage"));
        return new CharacterCard(3, data, null);
    }

    /** A creator makes the character once, public, in the editor. */
    static String createCharacter(String base) throws Exception {
        Person creator = Person.signUp(base, 9999);
        Map<String, String> fields = new java.util.HashMap<>(FIELDS);
        fields.put("_csrf", creator.csrf);
        HttpResponse<String> r = creator.form("/create", fields);
        return r.headers().firstValue("location").orElseThrow(() -> new IllegalStateException("create failed: "
                + r.statusCode() + " " + r.body())).replaceAll(".*/c/", "");
    }
}
