package dev.tandem.inference.remote;

import dev.tandem.inference.InferenceException;
import dev.tandem.inference.engine.ModelSettings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.jackson.databind.ObjectMapper;

/**
 * HTTP to one remote engine: its base URL, key headers and timeouts, over a pool of keep-alive connections.
 * Calls block the calling (virtual) thread; {@code readTimeout} bounds every wait for bytes, between chunks of
 * a stream too. Plain-HTTP upstreams are spoken to in HTTP/1.1; HTTPS ones negotiate HTTP/2 where offered.
 */
final class RemoteHttp implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");

    /** An upstream response whose status was 2xx: its body, to read and close. */
    record Reply(InputStream body, String contentType) {
        boolean isJson() {
            return contentType.contains("application/json");
        }
    }

    private final String modelId;
    private final String baseUrl;
    private final Map<String, String> headers;
    private final OkHttpClient client;
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
        this.json = json;
        Duration connect = settings.connectTimeout() == null ? Duration.ofSeconds(10) : settings.connectTimeout();
        Duration read = settings.readTimeout() == null ? Duration.ofMinutes(5) : settings.readTimeout();
        this.client = new OkHttpClient.Builder()
                .connectTimeout(connect.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
                .connectionPool(new ConnectionPool(512, 5, TimeUnit.MINUTES))
                .protocols(baseUrl.startsWith("https:") ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)
                        : List.of(Protocol.HTTP_1_1))
                .retryOnConnectionFailure(true)
                .followRedirects(false)
                .build();
    }

    /**
     * POSTs {@code body} to {@code path} and returns the open response body after checking the status.
     *
     * @throws InferenceException for a non-2xx status or an I/O failure, translated by {@link UpstreamErrors}
     */
    Reply post(String path, byte[] body, String accept) {
        Request.Builder b = new Request.Builder().url(baseUrl + path)
                .header("accept", accept)
                .post(RequestBody.create(body, JSON));
        headers.forEach(b::header);
        Response response;
        try {
            response = client.newCall(b.build()).execute();
        } catch (IOException e) {
            throw UpstreamErrors.fromIo(modelId, e);
        }
        ResponseBody responseBody = response.body();
        if (!response.isSuccessful() || responseBody == null) {
            String text;
            try (response) {
                text = responseBody == null ? "" : new String(responseBody.byteStream().readNBytes(64 * 1024),
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            throw UpstreamErrors.fromStatus(modelId, response.code(), text, response.header("retry-after"), json);
        }
        String contentType = response.header("content-type", "");
        return new Reply(responseBody.byteStream(), contentType == null ? "" : contentType);
    }

    String modelId() {
        return modelId;
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
