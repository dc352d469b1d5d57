package dev.tandem.inference;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the inference module ({@code tandem.inference.*}); defaults and their {@code TANDEM_*} variables are
 * in {@code application.yaml} and the README.
 *
 * @param model            a GGUF path or URL served under its file name ({@code TANDEM_MODEL})
 * @param modelId          the id for {@code model} instead of its file name ({@code TANDEM_MODEL_ID})
 * @param contextSize      context per request for {@code model}; 0 takes the file's, at most 4096
 * @param parallel         slots decoding together for {@code model}
 * @param threads          decoding threads for {@code model}; 0 takes half the cores
 * @param models           the catalog
 * @param cacheDir         where downloaded models are kept
 * @param nativeDir        where llama.cpp's native library is extracted
 * @param downloadToken    a bearer token for model downloads (Hugging Face), or empty
 * @param downloadProgress how often download progress is logged
 * @param routing          how calls are spread over a model's channels and when a channel is taken out
 * @param catalogRefresh   how often each node looks for changes of the model catalog in the database
 */
@ConfigurationProperties("tandem.inference")
public record InferenceProperties(
        @Nullable String model,
        @Nullable String modelId,
        int contextSize,
        int parallel,
        int threads,
        @Nullable List<ModelSettings> models,
        Path cacheDir,
        Path nativeDir,
        @Nullable String downloadToken,
        Duration downloadProgress,
        Routing routing,
        Duration catalogRefresh) {

    /**
     * Channel health: each channel has a circuit breaker over its last {@code window} calls. When at least
     * {@code minimumCalls} were made and {@code failureRate} percent or more failed (connection errors, 429, 5xx,
     * timeouts), the channel is taken out for {@code openFor}; then {@code probeCalls} calls test it, and it is
     * back in when they succeed. Every {@code probeInterval}, a channel left out longer than {@code openFor} gets
     * a one-token probe call, so it comes back without waiting for client traffic.
     */
    public record Routing(int failureRate, int window, int minimumCalls, Duration openFor, int probeCalls,
            Duration probeInterval) {
    }

    public List<ModelSettings> modelsOrEmpty() {
        return models == null ? List.of() : models;
    }
}
