package dev.tandem.inference.remote;

import dev.tandem.inference.InferenceException;
import dev.tandem.inference.engine.ModelSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.databind.ObjectMapper;

/**
 * HTTP to one remote engine: its base URL, key header and timeouts. Plain-HTTP upstreams are spoken to in
 * HTTP/1.1 (no h2c upgrade round trip); HTTPS ones negotiate HTTP/2 where offered.
 */
final class RemoteHttp implements AutoCloseable {

    private final String modelId;
    private final String baseUrl;
    private final Map<String, String> headers;
    private final Duration readTimeout;
    private final HttpClient client;
    private final ObjectMapper json;

    RemoteHttp(ModelSettings settings, Map<String, String> authHeaders, ObjectMapper json) {
        if (settings.baseUrl() == null || settings.baseUrl().isBlank()) {
            throw new IllegalArgumentException("model " + settings.id() + " (" + settings.engine()
                    + ") needs a base-url");
        }
        this.modelId = settings.id();
        this.baseUrl = settings.baseUrl().replaceAll("/+$", "");
        java.util.LinkedHashMap<String, String> h = new java.util.LinkedHashMap<>(authHeaders);
        h.putAll(settings.headersOrEmpty());
        this.headers = Map.copyOf(h);
        this.readTimeout = settings.readTimeout() == null ? Duration.ofMinutes(5) : settings.readTimeout();
        this.json = json;
        this.client = HttpClient.newBuilder()
                .version(baseUrl.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout() == null ? Duration.ofSeconds(10) : settings.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /**
     * POSTs {@code body} to {@code path} and returns the open response body after checking the status.
     *
     * @throws InferenceException for a non-2xx status or an I/O failure, translated by {@link UpstreamErrors}
     */
    HttpResponse<InputStream> post(String path, byte[] body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(readTimeout)
                .header("content-type", "application/json")
                .header("accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw UpstreamErrors.fromIo(modelId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(InferenceException.Kind.UPSTREAM_UNAVAILABLE, "interrupted");
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            throw UpstreamErrors.fromStatus(modelId, status, text,
                    response.headers().firstValue("retry-after").orElse(null), json);
        }
        return response;
    }

    String modelId() {
        return modelId;
    }

    @Override
    public void close() {
        client.close();
    }
}
