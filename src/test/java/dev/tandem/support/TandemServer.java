package dev.tandem.support;

import dev.tandem.TandemApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Tandem on a random port with a fresh data directory and a known admin key: what every HTTP test talks
 * to. Settings are given as property names ({@code tandem.inference.model}); they win over the defaults.
 */
public final class TandemServer implements AutoCloseable {

    public static final String ADMIN_KEY = "tdm_test_admin_key_0123456789abcdefghijklmnop";

    private final ConfigurableApplicationContext context;
    private final Path dataDir;
    private final int port;

    private TandemServer(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Settings for a server that serves the stories model as {@code stories}. */
    public static Map<String, String> storiesSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("tandem.inference.models[0].id", "stories");
        s.put("tandem.inference.models[0].engine", "llamacpp");
        s.put("tandem.inference.models[0].path", TestModels.stories().toString());
        s.put("tandem.inference.models[0].context-size", "1024");
        s.put("tandem.inference.models[0].parallel", "2");
        s.put("tandem.inference.models[0].threads", "1");
        return s;
    }

    public static TandemServer start(Map<String, String> settings) {
        Path data;
        try {
            data = Files.createTempDirectory("tandem-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("server.address", "127.0.0.1");
        all.put("tandem.data-dir", data.toString());
        all.put("tandem.identity.admin-key", ADMIN_KEY);
        all.put("tandem.gateway.shutdown-grace", "2s");
        all.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        all.putAll(settings);
        List<String> args = new ArrayList<>();
        all.forEach((k, v) -> args.add("--" + k + "=" + v));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TandemApplication.class)
                .run(args.toArray(String[]::new));
        TandemServer server = new TandemServer(ctx, data);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    /** Waits until {@code /readyz} answers 200 (models loaded). */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient http = HttpClient.newHttpClient();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/readyz"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.body();
                Thread.sleep(20);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Tandem did not become ready: " + last);
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Base URL for the OpenAI SDK ({@code …/v1}). */
    public String openAiBaseUrl() {
        return url("/v1");
    }

    /** Base URL for the Anthropic SDK. */
    public String anthropicBaseUrl() {
        return url("");
    }

    public Path dataDir() {
        return dataDir;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
