package dev.tandem.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI-compatible model server on loopback (what vLLM or SGLang speak), with answers of a known size: each
 * answer is {@code outputTokens} words "ok", reported as {@code promptTokens} prompt and {@code outputTokens}
 * completion tokens. Streams can be held open after their first chunk until {@link #release()}, to keep calls in
 * flight on purpose.
 */
public final class ChatUpstream implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final int promptTokens;
    private final int outputTokens;
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger broken = new AtomicInteger();
    private final java.util.List<JsonNode> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** When set, every request is answered with this status and error body (and retry-after, when given). */
    private final AtomicReference<String[]> failure = new AtomicReference<>();
    /** Requests wait here before any answer while hanging. */
    private final AtomicReference<CountDownLatch> hang = new AtomicReference<>(new CountDownLatch(0));
    private volatile long chunkDelayMillis;
    private volatile String lastAuthorization;
    private volatile JsonNode lastStreamedBody;
    private volatile boolean resetAfterFirstChunk;

    public ChatUpstream(int promptTokens, int outputTokens) {
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                calls.incrementAndGet();
                requests.add(body);
                lastAuthorization = exchange.getRequestHeaders().getFirst("authorization");
                try {
                    if (!hang.get().await(5, TimeUnit.MINUTES)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                String[] fail = failure.get();
                if (fail != null) {
                    byte[] error = ("{\"error\":{\"message\":\"injected failure\",\"type\":\"server_error\"}}")
                            .getBytes(StandardCharsets.UTF_8);
                    if (fail[1] != null) {
                        exchange.getResponseHeaders().add("retry-after", fail[1]);
                    }
                    exchange.getResponseHeaders().add("content-type", "application/json");
                    exchange.sendResponseHeaders(Integer.parseInt(fail[0]), error.length);
                    exchange.getResponseBody().write(error);
                    return;
                }
                String model = body.path("model").asString("model");
                if (!body.path("stream").asBoolean(false)) {
                    if (chunkDelayMillis > 0) {
                        try {
                            Thread.sleep(chunkDelayMillis * outputTokens); // as slow as the stream would be
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    byte[] json = completion(model).getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("content-type", "application/json");
                    exchange.sendResponseHeaders(200, json.length);
                    exchange.getResponseBody().write(json);
                    return;
                }
                lastStreamedBody = body;
                exchange.getResponseHeaders().add("content-type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                CountDownLatch wait = gate.get();
                open.incrementAndGet();
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < outputTokens; i++) {
                        if (i > 0 && chunkDelayMillis > 0) {
                            Thread.sleep(chunkDelayMillis);
                        }
                        send(out, chunk(model, "{\"content\":\"ok \"}", null));
                        if (resetAfterFirstChunk) {
                            throw new IOException("reset on purpose"); // the exchange closes the connection
                        }
                        if (i == 0 && !wait.await(5, TimeUnit.MINUTES)) {
                            return;
                        }
                    }
                    send(out, chunk(model, "{}", "\"stop\""));
                    send(out, "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                            + model + "\",\"choices\":[]," + usage() + "}");
                    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    completed.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    broken.incrementAndGet(); // the reader went away (or reset on purpose)
                    throw e;
                } finally {
                    open.decrementAndGet();
                }
            }
        });
        server.start();
    }

    private static void send(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String chunk(String model, String delta, String finish) {
        return "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}";
    }

    private String usage() {
        return "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + outputTokens
                + ",\"total_tokens\":" + (promptTokens + outputTokens) + "}";
    }

    private String completion(String model) {
        return "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + "ok ".repeat(outputTokens).strip() + "\"},\"finish_reason\":\"stop\"}]," + usage() + "}";
    }

    /** From now on, every request is answered with {@code status} (and this retry-after header, when not null). */
    public void failWith(int status, String retryAfter) {
        failure.set(new String[] {Integer.toString(status), retryAfter});
    }

    /** Answers normally again: no failures, no hang, no delay, no reset. */
    public void heal() {
        failure.set(null);
        chunkDelayMillis = 0;
        resetAfterFirstChunk = false;
        hang.get().countDown();
    }

    /** From now on, requests are taken but not answered (until {@link #heal()}). */
    public void hang() {
        hang.set(new CountDownLatch(1));
    }

    /** From now on, streamed chunks come this far apart. */
    public void slow(long millisPerChunk) {
        chunkDelayMillis = millisPerChunk;
    }

    /** From now on, streams break off after their first chunk. */
    public void resetAfterFirstChunk() {
        resetAfterFirstChunk = true;
    }

    /** From now on, streams wait after their first chunk until {@link #release()}. */
    public void hold() {
        gate.set(new CountDownLatch(1));
    }

    /** Lets every held stream finish. */
    public void release() {
        gate.get().countDown();
    }

    /** Streams being sent right now. */
    public int openStreams() {
        return open.get();
    }

    /** The Authorization header of the latest request. */
    /** The body of the last streamed request, as the engine received it. */
    public JsonNode lastStreamedBody() {
        return lastStreamedBody;
    }

    public String lastAuthorization() {
        return lastAuthorization;
    }

    /** Streams sent to their end. */
    public int completedStreams() {
        return completed.get();
    }

    /** Streams that could not be sent to their end: the reader had gone. */
    public int brokenStreams() {
        return broken.get();
    }

    /** Requests received so far. */
    public int calls() {
        return calls.get();
    }

    /** Every request body received, oldest first. */
    public java.util.List<JsonNode> requests() {
        return requests;
    }

    /** Base URL in OpenAI form ({@code http://127.0.0.1:port/v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** As {@link #model(int, String)}, with more fields of the entry as name, value, name, value… */
    public java.util.Map<String, String> model(int i, String id, String... extra) {
        java.util.Map<String, String> s = model(i, id);
        for (int k = 0; k < extra.length; k += 2) {
            s.put("tandem.inference.models[" + i + "]." + extra[k], extra[k + 1]);
        }
        return s;
    }

    /** Settings that serve this upstream as model {@code id} at index {@code i} of the catalog. */
    public java.util.Map<String, String> model(int i, String id) {
        java.util.Map<String, String> s = new java.util.LinkedHashMap<>();
        String p = "tandem.inference.models[" + i + "].";
        s.put(p + "id", id);
        s.put(p + "engine", "openai");
        s.put(p + "base-url", baseUrl());
        s.put(p + "api-key", "sk-test");
        return s;
    }

    @Override
    public void close() {
        release();
        hang.get().countDown();
        server.stop(0);
    }
}
