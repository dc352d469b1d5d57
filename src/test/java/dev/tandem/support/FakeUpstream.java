package dev.tandem.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for a paid cloud API (MiniMax) on loopback: it answers {@code POST …/chat/completions} with the
 * recorded fixture named by the request's {@code model} ({@code src/test/resources/minimax/<model>.sse} or
 * {@code .json}), and keeps every request body so tests can check what Tandem sent upstream.
 */
public final class FakeUpstream implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    public FakeUpstream(String fixtureDir) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                requests.add(body);
                String model = body.path("model").asString("");
                InputStream sse = FakeUpstream.class.getResourceAsStream("/" + fixtureDir + "/" + model + ".sse");
                InputStream json = FakeUpstream.class.getResourceAsStream("/" + fixtureDir + "/" + model + ".json");
                if (sse == null && json == null) {
                    byte[] error = ("{\"error\":{\"message\":\"unknown model " + model + "\"}}").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(404, error.length);
                    exchange.getResponseBody().write(error);
                    return;
                }
                byte[] bytes = (sse != null ? sse : json).readAllBytes();
                exchange.getResponseHeaders().add("content-type", sse != null ? "text/event-stream" : "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    // one event at a time, as a server streams them
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    for (String event : text.split("(?<=\n\n)")) {
                        out.write(event.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            }
        });
        server.start();
    }

    /** Base URL in OpenAI form ({@code http://127.0.0.1:port/v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The request bodies received so far, oldest first. */
    public List<JsonNode> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
