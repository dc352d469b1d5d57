package dev.tandem.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.support.GgufFiles;
import dev.tandem.support.TandemServer;
import dev.tandem.support.TestModels;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where local models come from: one variable ({@code TANDEM_MODEL}) naming a file or a download URL, and the
 * chat template a model file carries in its own header.
 */
class LocalModelSourcesTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode chat(TandemServer server, String model, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url("/v1/chat/completions")))
                .header("authorization", "Bearer " + TandemServer.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("MODEL", model))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void oneVariableServesAModelFileUnderItsFileName() throws Exception {
        Path model = TestModels.stories();
        try (TandemServer server = TandemServer.start(Map.of("tandem.inference.model", model.toString(),
                "tandem.inference.threads", "1"))) {
            JsonNode answer = chat(server, "stories260K", "{\"model\":\"MODEL\",\"max_tokens\":4,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(answer.path("usage").path("completion_tokens").asInt()).isEqualTo(4);
        }
    }

    @Test
    void aModelNamedByUrlIsDownloadedOnceCheckedAndServed(@TempDir Path cache) throws Exception {
        byte[] bytes = Files.readAllBytes(TestModels.stories());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        AtomicInteger downloads = new AtomicInteger();
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/org/repo/resolve/main/tiny.gguf", ex -> {
            // Hugging Face answers a resolve URL with a redirect that announces the LFS checksum.
            ex.getResponseHeaders().add("x-linked-etag", "\"" + sha + "\"");
            ex.getResponseHeaders().add("location", "/cdn/tiny.gguf");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        hub.createContext("/cdn/tiny.gguf", ex -> {
            downloads.incrementAndGet();
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        hub.start();
        String url = "http://127.0.0.1:" + hub.getAddress().getPort() + "/org/repo/resolve/main/tiny.gguf";
        Map<String, String> settings = Map.of("tandem.inference.model", url, "tandem.inference.threads", "1",
                "tandem.inference.cache-dir", cache.toString());
        try {
            for (int start = 0; start < 2; start++) {
                try (TandemServer server = TandemServer.start(settings)) {
                    JsonNode answer = chat(server, "tiny", "{\"model\":\"MODEL\",\"max_tokens\":3,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                    assertThat(answer.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
                }
            }
            assertThat(downloads.get()).as("downloaded on the first start only").isEqualTo(1);
        } finally {
            hub.stop(0);
        }
    }

    @Test
    void aChatTemplateInTheModelFileIsUsed(@TempDir Path dir) throws Exception {
        String template = new String(getClass().getResourceAsStream("/templates/think.jinja").readAllBytes(),
                StandardCharsets.UTF_8);
        Path model = GgufFiles.withString(TestModels.stories(), "tokenizer.chat_template", template,
                dir.resolve("stories-chat.gguf"));
        try (TandemServer server = TandemServer.start(Map.of("tandem.inference.model", model.toString(),
                "tandem.inference.threads", "1"))) {
            JsonNode answer = chat(server, "stories-chat", "{\"model\":\"MODEL\",\"max_tokens\":6,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Why?\"}]}");
            // the file's template opens a <think> block, so what the model writes is reasoning
            JsonNode message = answer.path("choices").path(0).path("message");
            assertThat(message.path("reasoning_content").asString()).isNotBlank();
            assertThat(answer.path("usage").path("completion_tokens_details").path("reasoning_tokens").asInt())
                    .isEqualTo(6);
        }
    }
}
