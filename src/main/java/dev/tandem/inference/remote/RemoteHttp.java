package dev.tandem.inference.remote;

import dev.tandem.inference.InferenceException;
import dev.tandem.inference.ModelSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * HTTP to one remote engine: its base URL, key headers and timeouts, over {@link UpstreamClient}'s pool of
 * keep-alive connections. {@code readTimeout} bounds every wait for bytes, between chunks of a stream too.
 */
final class RemoteHttp implements AutoCloseable {

    /** An upstream response whose status was 2xx: its body, to read and close. */
    record Reply(InputStream body, String contentType) {
        boolean isJson() {
            return contentType.contains("application/json");
        }
    }

    private final String modelId;
    private final String basePath;
    private final Map<String, String> headers;
    private final UpstreamClient client;
    private final ObjectMapper json;

    RemoteHttp(ModelSettings settings, Map<String, String> authHeaders, ObjectMapper json) {
        if (settings.baseUrl() == null || settings.baseUrl().isBlank()) {
            throw new IllegalArgumentException("model " + settings.id() + " (" + settings.engine()
                    + ") needs a base-url");
        }
        URI base = URI.create(settings.baseUrl().trim());
        this.modelId = settings.id();
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        this.basePath = path.replaceAll("/+$", "");
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/json");
        h.putAll(authHeaders);
        h.putAll(settings.headersOrEmpty());
        this.headers = h;
        this.json = json;
        Duration connect = settings.connectTimeout() == null ? Duration.ofSeconds(10) : settings.connectTimeout();
        Duration read = settings.readTimeout() == null ? Duration.ofMinutes(5) : settings.readTimeout();
        this.client = new UpstreamClient(base, connect, read, 1024, null);
    }

    /**
     * POSTs {@code body} to {@code path} and returns the open response body after checking the status.
     *
     * @throws InferenceException for a non-2xx status or an I/O failure, translated by {@link UpstreamErrors}
     */
    Reply post(String path, byte[] body, String accept) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("accept", accept);
        UpstreamClient.Response response;
        try {
            response = client.post(basePath + path, h, body);
        } catch (IOException e) {
            throw UpstreamErrors.fromIo(modelId, e);
        }
        if (response.status() / 100 != 2) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            throw UpstreamErrors.fromStatus(modelId, response.status(), text, response.header("retry-after"), json);
        }
        return new Reply(response.body(), response.header("content-type"));
    }

    String modelId() {
        return modelId;
    }

    @Override
    public void close() {
        client.close();
    }
}
