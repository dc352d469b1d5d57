package dev.tandem.inference;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model of the catalog as configured under {@code tandem.inference.models}. Engine-specific fields are null
 * where they do not apply. {@link #toString()} never shows the API key.
 *
 * @param id              the public model id
 * @param engine          {@code llamacpp}, {@code openai} or {@code anthropic}
 * @param path            llamacpp: the GGUF file
 * @param url             llamacpp: where to download the GGUF file from when {@code path} is not given
 * @param sha256          llamacpp: the expected checksum of the download
 * @param contextSize     llamacpp: tokens per request (each parallel slot gets this many)
 * @param parallel        llamacpp: requests decoded together
 * @param threads         llamacpp: CPU threads for decoding
 * @param chatTemplate    llamacpp: a Jinja chat template that replaces the one in the file
 * @param baseUrl         remote: the server's base URL (e.g. {@code https://api.openai.com/v1})
 * @param apiKey          remote: the key Tandem sends upstream
 * @param upstreamModel   remote: the model name upstream, when it differs from {@code id}
 * @param reasoningFormat openai: how reasoning is sent back upstream: {@code reasoning_content},
 *                        {@code think_tags} or {@code reasoning_details}
 * @param headers         remote: extra headers sent upstream
 * @param connectTimeout  remote: connection timeout
 * @param readTimeout     remote: longest wait for the next byte
 * @param contextLength   catalog: context window (remote engines; llamacpp derives it)
 * @param maxOutputTokens catalog: the most output tokens per answer
 * @param maxQueue        requests that may wait for a free slot before new ones are refused as overloaded
 * @param queueTimeout    longest wait for a free slot
 * @param ownedBy         shown as {@code owned_by} in the model list
 * @param priority        routing: entries sharing one {@code id} are channels of one model; calls go to the
 *                        lowest priority number that has a healthy channel (default 0)
 * @param weight          routing: share of calls among healthy channels of the same priority (default 1)
 * @param channel         routing: the channel's name in logs and usage records (default engine + position)
 * @param maxConcurrency  routing: calls this channel runs at once (remote engines; default unlimited); more wait
 *                        in a queue of {@code maxQueue} for at most {@code queueTimeout}
 * @param firstTokenTimeout routing: longest wait for a channel's first event before the call moves on
 * @param totalTimeout    routing: longest a whole call may take, every attempt and the answer included
 * @param aliases         other ids callers may use for this model
 * @param fallbacks       models to use, in order, when every channel of this one is out of service (and the
 *                        caller or its organization allows it)
 * @param machineCostPerHour llamacpp: what the machine running the model costs per hour, as a decimal amount of
 *                        the platform currency ({@code "2.50"}); spread over the engine's measured throughput, it
 *                        is the engine cost of each call
 * @param cost            routing: what this channel's upstream charges per million tokens, when it differs from
 *                        the model's engine cost in the price catalog (e.g. an own vLLM next to a paid API)
 */
public record ModelSettings(
        String id,
        String engine,
        @Nullable String path,
        @Nullable String url,
        @Nullable String sha256,
        @Nullable Integer contextSize,
        @Nullable Integer parallel,
        @Nullable Integer threads,
        @Nullable String chatTemplate,
        @Nullable String baseUrl,
        @Nullable String apiKey,
        @Nullable String upstreamModel,
        @Nullable String reasoningFormat,
        @Nullable Map<String, String> headers,
        @Nullable Duration connectTimeout,
        @Nullable Duration readTimeout,
        @Nullable Integer contextLength,
        @Nullable Integer maxOutputTokens,
        @Nullable Integer maxQueue,
        @Nullable Duration queueTimeout,
        @Nullable String ownedBy,
        @Nullable Integer priority,
        @Nullable Integer weight,
        @Nullable String channel,
        @Nullable Integer maxConcurrency,
        @Nullable Duration firstTokenTimeout,
        @Nullable Duration totalTimeout,
        @Nullable List<String> aliases,
        @Nullable List<String> fallbacks,
        @Nullable String machineCostPerHour,
        @Nullable Cost cost) {

    /** What a channel's upstream charges per million tokens, as decimal amounts ({@code "0.20"}). */
    public record Cost(@Nullable String input, @Nullable String cachedInput, @Nullable String output) {
    }

    public ModelSettings {
        Objects.requireNonNull(id, "every model needs an id");
        Objects.requireNonNull(engine, "model " + id + " needs an engine (llamacpp, openai or anthropic)");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a model id must not be blank");
        }
        if (weight != null && (weight < 1 || weight > 1_000_000)) {
            throw new IllegalArgumentException("model " + id + ": weight must be 1 to 1000000, was " + weight);
        }
    }

    /** A local GGUF model with defaults for everything else. */
    public static ModelSettings llamacpp(String id, String pathOrUrl) {
        boolean remote = pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://");
        return new ModelSettings(id, "llamacpp", remote ? null : pathOrUrl, remote ? pathOrUrl : null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    public List<String> aliasesOrEmpty() {
        return aliases == null ? List.of() : aliases;
    }

    public List<String> fallbacksOrEmpty() {
        return fallbacks == null ? List.of() : fallbacks;
    }

    public Map<String, String> headersOrEmpty() {
        return headers == null ? Map.of() : headers;
    }

    @Override
    public String toString() {
        return "ModelSettings[id=" + id + ", engine=" + engine + ", path=" + path + ", url=" + url
                + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "(set)")
                + ", upstreamModel=" + upstreamModel + "]";
    }
}
