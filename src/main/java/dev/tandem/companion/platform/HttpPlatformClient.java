package dev.tandem.companion.platform;

import dev.tandem.companion.CompanionException;
import dev.tandem.companion.PlatformClient;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.FinishReason;
import dev.tandem.inference.Part;
import dev.tandem.inference.Usage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a remote Tandem (or any OpenAI-compatible server) over HTTP: {@code POST {base}/v1/chat/completions},
 * streamed, with the app's API key. The remote platform does the admission and metering; this side only reads
 * the answer's events. Text-only: the app sends no tools.
 */
public final class HttpPlatformClient implements PlatformClient {

    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    public HttpPlatformClient(String baseUrl, String apiKey, Duration timeout, ObjectMapper json) {
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException("TANDEM_COMPANION_PLATFORM_URL must be an http(s) URL, was " + baseUrl);
        }
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/chat/completions");
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Asks the remote Tandem's {@code /v1/messages/count_tokens}; a server without it (a plain OpenAI-compatible
     * one) leaves the caller with its estimate.
     */
    @Override
    public java.util.OptionalInt countTokens(ChatRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("model", request.model());
        StringBuilder system = new StringBuilder();
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> system.append(system.isEmpty() ? "" : "\n\n").append(text(m));
                case ASSISTANT -> messages.addObject().put("role", "assistant").put("content", text(m));
                default -> messages.addObject().put("role", "user").put("content", text(m));
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        URI uri = URI.create(endpoint.toString().replace("/v1/chat/completions", "/v1/messages/count_tokens"));
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("x-api-key", apiKey).header("anthropic-version", "2023-06-01")
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return java.util.OptionalInt.empty();
            }
            JsonNode n = json.readTree(r.body()).path("input_tokens");
            return n.isNumber() ? java.util.OptionalInt.of(n.asInt()) : java.util.OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }

    @Override
    public java.util.List<String> models() {
        URI uri = URI.create(endpoint.toString().replace("/v1/chat/completions", "/v1/models"));
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + apiKey).GET(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new CompanionException(CompanionException.Reason.UNAVAILABLE,
                    "The platform's model list answered " + r.statusCode() + ".", null);
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        json.readTree(r.body()).path("data").forEach(m -> ids.add(m.path("id").asString()));
        return ids;
    }

    /** Sends a request; an unreachable platform is UNAVAILABLE with the reason. */
    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw new CompanionException(CompanionException.Reason.UNAVAILABLE,
                    "The platform at " + endpoint.getHost() + " cannot be reached: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompanionException(CompanionException.Reason.UNAVAILABLE, "Interrupted.", null);
        }
    }

    @Override
    public String describe() {
        return endpoint.toString();
    }

    @Override
    public ChatStream chat(ChatRequest request, @Nullable String affinity) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("authorization", "Bearer " + apiKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body(request))));
        if (affinity != null) {
            b.header("x-tandem-affinity", affinity);
        }
        HttpResponse<InputStream> response = send(b, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String message;
            try (InputStream in = response.body()) {
                JsonNode error = json.readTree(in.readNBytes(64 * 1024)).path("error");
                message = error.path("message").asString("status " + response.statusCode());
            } catch (IOException | RuntimeException e) {
                message = "status " + response.statusCode();
            }
            throw new CompanionException(CompanionException.Reason.UNAVAILABLE, message, null);
        }
        return new SseStream(response.body());
    }

    static final int MAX_STOPS = 4;

    private ObjectNode body(ChatRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("model", request.model());
        body.put("stream", true);
        switch (request.priority()) {
            case HIGH -> body.put("service_tier", "priority"); // honoured where the app's organization may use it
            case LOW -> body.put("service_tier", "flex");
            case NORMAL -> { }
        }
        body.putObject("stream_options").put("include_usage", true);
        if (request.sampling().maxTokens() != null) {
            body.put("max_tokens", request.sampling().maxTokens());
        }
        if (request.sampling().temperature() != null) {
            body.put("temperature", request.sampling().temperature());
        }
        if (request.sampling().topP() != null) {
            body.put("top_p", request.sampling().topP());
        }
        if (request.sampling().seed() != null) {
            body.put("seed", request.sampling().seed());
        }
        if (!request.sampling().stop().isEmpty()) {
            // OpenAI's dialect takes at most 4: the first are the person's name and the nearest speakers
            ArrayNode stop = body.putArray("stop");
            request.sampling().stop().stream().limit(MAX_STOPS).forEach(stop::add);
        }
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", text(m));
        }
        return body;
    }

    /** A message's text (the app sends text only). */
    private static String text(ChatMessage m) {
        StringBuilder text = new StringBuilder();
        for (Part p : m.parts()) {
            if (p instanceof Part.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    /** OpenAI chat-completion chunks read line by line into canonical events. */
    private final class SseStream implements ChatStream {
        private final InputStream in;
        private final BufferedReader reader;
        private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>();
        private Usage usage = Usage.ZERO;
        private @Nullable FinishReason finish;
        private boolean over;

        SseStream(InputStream in) {
            this.in = in;
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        @Override
        public @Nullable ChatEvent next() {
            while (pending.isEmpty()) {
                if (over) {
                    return null;
                }
                String line;
                try {
                    line = reader.readLine();
                } catch (IOException e) {
                    close();
                    throw new CompanionException(CompanionException.Reason.UNAVAILABLE,
                            "The platform's answer broke off: " + e.getMessage(), null);
                }
                if (line == null || line.equals("data: [DONE]")) {
                    over = true;
                    if (finish == null) {
                        close();
                        throw new CompanionException(CompanionException.Reason.UNAVAILABLE,
                                "The platform ended the answer without finishing it.", null);
                    }
                    pending.add(new ChatEvent.Done(finish, usage, null));
                    continue;
                }
                if (line.startsWith("data:")) {
                    read(json.readTree(line.substring(5).strip()));
                }
            }
            return pending.poll();
        }

        private void read(JsonNode chunk) {
            if (chunk.has("error")) {
                over = true;
                throw new CompanionException(CompanionException.Reason.UNAVAILABLE,
                        chunk.path("error").path("message").asString("the platform failed"), null);
            }
            JsonNode choice = chunk.path("choices").path(0);
            String text = choice.path("delta").path("content").asString("");
            if (!text.isEmpty()) {
                pending.add(new ChatEvent.TextDelta(text));
            }
            String reason = choice.path("finish_reason").asString("");
            if (!reason.isEmpty()) {
                finish = switch (reason) {
                    case "length" -> FinishReason.LENGTH;
                    case "tool_calls" -> FinishReason.TOOL_CALLS;
                    default -> FinishReason.STOP;
                };
            }
            JsonNode u = chunk.path("usage");
            if (u.isObject()) {
                usage = new Usage(u.path("prompt_tokens").asInt(0),
                        u.path("prompt_tokens_details").path("cached_tokens").asInt(0),
                        u.path("completion_tokens").asInt(0), 0);
            }
        }

        @Override
        public Usage usageSoFar() {
            return usage;
        }

        @Override
        public void close() {
            over = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
        }
    }
}
