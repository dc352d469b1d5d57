package dev.tandem.gateway.admin;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.Fields;
import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.Inference;
import dev.tandem.inference.ModelInfo;
import dev.tandem.inference.ModelSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The model catalog at runtime (platform admin only): models, their channels (backends) and each channel's
 * settings and health. A change is in effect on this node at once and on every node within seconds. Upstream API
 * keys are write-only: answers say whether one is set, never what it is.
 */
@RestController
class ModelsController {

    private static final Set<String> MODEL_FIELDS = Set.of("channels", "aliases", "fallbacks", "context_length",
            "max_output_tokens", "total_timeout_ms", "owned_by");
    private static final Set<String> CHANNEL_FIELDS = Set.of("channel", "engine", "base_url", "api_key",
            "upstream_model", "priority", "weight", "max_concurrency", "max_queue", "queue_timeout_ms",
            "first_token_timeout_ms", "connect_timeout_ms", "read_timeout_ms", "headers", "reasoning_format", "path",
            "url", "sha256", "context_size", "parallel", "threads", "chat_template", "machine_cost_per_hour", "cost");
    private static final Set<String> ENGINES = Set.of("openai", "anthropic", "llamacpp");

    private final ManagementAuth auth;
    private final Inference inference;

    ModelsController(ManagementAuth auth, Inference inference) {
        this.auth = auth;
        this.inference = inference;
    }

    @GetMapping("/v1/admin/models")
    void list(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            Map<String, List<ChannelStatus>> health = health();
            auth.sendList(ex, inference.models(), (g, m) -> write(g, m, health));
        });
    }

    @GetMapping("/v1/admin/models/{*id}")
    void get(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            ModelInfo m = model(strip(id));
            auth.send(ex, 200, g -> write(g, m, health()));
        });
    }

    @PutMapping("/v1/admin/models/{*id}")
    void put(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            String modelId = strip(id);
            if (modelId.isBlank() || modelId.length() > 200) {
                throw ApiError.invalid("model id: 1 to 200 characters", "id");
            }
            List<ModelSettings> channels = read(modelId, auth.body(ex));
            boolean existed = inference.model(modelId).filter(m -> m.id().equals(modelId)).isPresent();
            try {
                inference.putModel(modelId, channels);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid(e.getMessage(), null);
            }
            ModelInfo m = model(modelId);
            auth.send(ex, existed ? 200 : 201, g -> write(g, m, health()));
        });
    }

    @DeleteMapping("/v1/admin/models/{*id}")
    void delete(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            String modelId = strip(id);
            if (!inference.deleteModel(modelId)) {
                throw noModel(modelId);
            }
            auth.send(ex, 200, g -> {
                g.writeStartObject();
                g.writeStringProperty("object", "model.deleted");
                g.writeStringProperty("id", modelId);
                g.writeBooleanProperty("deleted", true);
                g.writeEndObject();
            });
        });
    }

    /** {@code {"disable": ["channel"], "enable": ["channel"]}}: operators take channels out and put them back. */
    @PatchMapping("/v1/admin/models/{*id}")
    void switchChannels(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            String modelId = strip(id);
            ModelInfo m = model(modelId);
            JsonNode body = auth.body(ex);
            unknownFields(body, Set.of("enable", "disable"), "");
            List<String> disable = AdminRequests.strings(body, "disable");
            List<String> enable = AdminRequests.strings(body, "enable");
            if (disable.isEmpty() && enable.isEmpty()) {
                throw ApiError.invalid("name channels under \"disable\" or \"enable\"", "disable");
            }
            Set<String> names = Set.copyOf(inference.modelSettings(m.id()).stream().map(ModelSettings::channel)
                    .toList());
            for (String c : concat(disable, enable)) {
                if (!names.contains(c)) {
                    throw ApiError.invalid("model " + m.id() + " has no channel '" + c + "'; it has "
                            + String.join(", ", names), "channel");
                }
            }
            disable.forEach(c -> inference.setChannelEnabled(m.id(), c, false));
            enable.forEach(c -> inference.setChannelEnabled(m.id(), c, true));
            auth.send(ex, 200, g -> write(g, m, health()));
        });
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String strip(String id) {
        return id.startsWith("/") ? id.substring(1) : id;
    }

    private ModelInfo model(String id) {
        return inference.model(id).filter(m -> m.id().equals(id)).orElseThrow(() -> noModel(id));
    }

    private static ApiError noModel(String id) {
        return new ApiError(ErrorKind.NOT_FOUND, "No model '" + id + "' in the catalog.", "model", null);
    }

    private Map<String, List<ChannelStatus>> health() {
        Map<String, List<ChannelStatus>> out = new HashMap<>();
        inference.channels().forEach(c -> out.computeIfAbsent(c.model(), k -> new ArrayList<>()).add(c));
        return out;
    }

    // ---- reading a model

    private List<ModelSettings> read(String id, JsonNode body) {
        unknownFields(body, MODEL_FIELDS, "");
        JsonNode list = Fields.optionalArray(body, "channels", "channels");
        if (list == null || list.isEmpty() || list.size() > 64) {
            throw ApiError.invalid("channels: 1 to 64 channels, each with at least an engine", "channels");
        }
        List<String> aliases = AdminRequests.strings(body, "aliases");
        List<String> fallbacks = AdminRequests.strings(body, "fallbacks");
        Integer contextLength = Fields.optionalInt(body, "context_length", "context_length", 1, 10_000_000);
        Integer maxOutput = Fields.optionalInt(body, "max_output_tokens", "max_output_tokens", 1, 10_000_000);
        Duration total = millis(body, "total_timeout_ms", "total_timeout_ms");
        String ownedBy = Fields.optionalString(body, "owned_by", "owned_by");
        Map<String, String> keptKeys = new HashMap<>();
        inference.modelSettings(id).forEach(s -> {
            if (s.apiKey() != null) {
                keptKeys.put(s.channel(), s.apiKey());
            }
        });
        List<ModelSettings> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String at = "channels[" + i + "]";
            if (!c.isObject()) {
                throw ApiError.invalid(at + ": expected an object", at);
            }
            unknownFields(c, CHANNEL_FIELDS, at + ".");
            String engine = Fields.requiredString(c, "engine", at + ".engine");
            if (!ENGINES.contains(engine)) {
                throw ApiError.invalid(at + ".engine: one of openai, anthropic, llamacpp; was '" + engine + "'",
                        at + ".engine");
            }
            String channel = Fields.optionalString(c, "channel", at + ".channel");
            if (channel != null && (channel.isBlank() || channel.length() > 100)) {
                throw ApiError.invalid(at + ".channel: 1 to 100 characters", at + ".channel");
            }
            String baseUrl = Fields.optionalString(c, "base_url", at + ".base_url");
            String path = Fields.optionalString(c, "path", at + ".path");
            String url = Fields.optionalString(c, "url", at + ".url");
            if (engine.equals("llamacpp")) {
                if ((path == null || path.isBlank()) && (url == null || url.isBlank())) {
                    throw ApiError.invalid(at + ": a llamacpp channel needs a path or a url", at + ".path");
                }
            } else if (baseUrl == null || !httpUrl(baseUrl)) {
                throw ApiError.invalid(at + ".base_url: an http(s) URL is required for " + engine + " channels",
                        at + ".base_url");
            }
            if (url != null && !httpUrl(url)) {
                throw ApiError.invalid(at + ".url: an http(s) URL", at + ".url");
            }
            String apiKey;
            if (c.has("api_key")) {
                apiKey = Fields.optionalString(c, "api_key", at + ".api_key");
            } else {
                apiKey = channel == null ? null : keptKeys.get(channel); // unchanged: keep the stored key
            }
            String reasoning = Fields.optionalString(c, "reasoning_format", at + ".reasoning_format");
            if (reasoning != null && !Set.of("reasoning_content", "think_tags", "reasoning_details").contains(reasoning)) {
                throw ApiError.invalid(at + ".reasoning_format: reasoning_content, think_tags or reasoning_details",
                        at + ".reasoning_format");
            }
            out.add(new ModelSettings(id, engine, path, url, Fields.optionalString(c, "sha256", at + ".sha256"),
                    Fields.optionalInt(c, "context_size", at + ".context_size", 16, 10_000_000),
                    Fields.optionalInt(c, "parallel", at + ".parallel", 1, 1024),
                    Fields.optionalInt(c, "threads", at + ".threads", 1, 1024),
                    Fields.optionalString(c, "chat_template", at + ".chat_template"), baseUrl,
                    apiKey == null || apiKey.isEmpty() ? null : apiKey,
                    Fields.optionalString(c, "upstream_model", at + ".upstream_model"), reasoning,
                    headers(c, at + ".headers"), millis(c, "connect_timeout_ms", at + ".connect_timeout_ms"),
                    millis(c, "read_timeout_ms", at + ".read_timeout_ms"), contextLength, maxOutput,
                    Fields.optionalInt(c, "max_queue", at + ".max_queue", 0, 1_000_000),
                    millis(c, "queue_timeout_ms", at + ".queue_timeout_ms"), ownedBy,
                    Fields.optionalInt(c, "priority", at + ".priority", 0, 1000),
                    Fields.optionalInt(c, "weight", at + ".weight", 1, 1_000_000), channel,
                    Fields.optionalInt(c, "max_concurrency", at + ".max_concurrency", 1, 1_000_000),
                    millis(c, "first_token_timeout_ms", at + ".first_token_timeout_ms"), total, aliases, fallbacks,
                    Fields.optionalString(c, "machine_cost_per_hour", at + ".machine_cost_per_hour"),
                    cost(c, at + ".cost")));
        }
        return out;
    }

    private static ModelSettings.@Nullable Cost cost(JsonNode c, String path) {
        JsonNode cost = Fields.optionalObject(c, "cost", path);
        if (cost == null) {
            return null;
        }
        unknownFields(cost, Set.of("input", "cached_input", "output"), path + ".");
        return new ModelSettings.Cost(amount(cost, "input", path), amount(cost, "cached_input", path),
                amount(cost, "output", path));
    }

    private static @Nullable String amount(JsonNode cost, String name, String path) {
        JsonNode n = cost.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString() && !n.isNumber()) {
            throw ApiError.invalid(path + "." + name + ": an amount such as \"0.20\"", path + "." + name);
        }
        return n.asString();
    }

    private static boolean httpUrl(String value) {
        try {
            URI u = URI.create(value.strip());
            return (u.getScheme().equals("http") || u.getScheme().equals("https")) && u.getHost() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static @Nullable Duration millis(JsonNode body, String name, String path) {
        Long ms = Fields.optionalLong(body, name, path);
        if (ms == null) {
            return null;
        }
        if (ms < 1 || ms > 86_400_000L) {
            throw ApiError.invalid(path + ": 1 to 86400000 milliseconds, was " + ms, path);
        }
        return Duration.ofMillis(ms);
    }

    private static @Nullable Map<String, String> headers(JsonNode c, String path) {
        JsonNode h = Fields.optionalObject(c, "headers", path);
        if (h == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        h.properties().forEach(e -> {
            if (!e.getValue().isString() || !e.getKey().matches("[A-Za-z0-9-]{1,100}")) {
                throw ApiError.invalid(path + "." + e.getKey() + ": a header name with a string value", path);
            }
            out.put(e.getKey(), e.getValue().asString());
        });
        return out;
    }

    private static void unknownFields(JsonNode body, Set<String> known, String prefix) {
        body.properties().forEach(e -> {
            if (!known.contains(e.getKey())) {
                throw ApiError.invalid(prefix + e.getKey() + ": unknown field; known: " + String.join(", ",
                        known.stream().sorted().toList()), prefix + e.getKey());
            }
        });
    }

    // ---- writing a model

    private void write(JsonGenerator g, ModelInfo m, Map<String, List<ChannelStatus>> health) {
        g.writeStartObject();
        g.writeStringProperty("object", "model.config");
        g.writeStringProperty("id", m.id());
        g.writeStringProperty("state", m.state().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        g.writeNumberProperty("context_length", m.contextLength());
        g.writeNumberProperty("max_output_tokens", m.maxOutputTokens());
        g.writeStringProperty("owned_by", m.ownedBy());
        strings(g, "aliases", m.aliases());
        strings(g, "fallbacks", m.fallbacks());
        Map<String, ChannelStatus> status = new HashMap<>();
        health.getOrDefault(m.id(), List.of()).forEach(c -> status.put(c.channel(), c));
        g.writeArrayPropertyStart("channels");
        for (ModelSettings s : inference.modelSettings(m.id())) {
            ChannelStatus c = status.get(s.channel());
            g.writeStartObject();
            g.writeStringProperty("channel", s.channel());
            g.writeStringProperty("engine", s.engine());
            ManagementJson.nullable(g, "base_url", s.baseUrl());
            ManagementJson.nullable(g, "upstream_model", s.upstreamModel());
            ManagementJson.nullable(g, "path", s.path());
            ManagementJson.nullable(g, "url", s.url());
            g.writeBooleanProperty("api_key_set", s.apiKey() != null);
            g.writeNumberProperty("priority", s.priority() == null ? 0 : s.priority());
            g.writeNumberProperty("weight", s.weight() == null ? 1 : s.weight());
            if (s.maxConcurrency() != null) {
                g.writeNumberProperty("max_concurrency", s.maxConcurrency());
            }
            if (s.cost() != null) {
                g.writeObjectPropertyStart("cost");
                ManagementJson.nullable(g, "input", s.cost().input());
                ManagementJson.nullable(g, "cached_input", s.cost().cachedInput());
                ManagementJson.nullable(g, "output", s.cost().output());
                g.writeEndObject();
            }
            if (s.firstTokenTimeout() != null) {
                g.writeNumberProperty("first_token_timeout_ms", s.firstTokenTimeout().toMillis());
            }
            if (c != null) {
                g.writeStringProperty("state", c.state());
                g.writeBooleanProperty("enabled", !c.state().equals("disabled"));
                g.writeNumberProperty("failure_rate", c.failureRate());
                g.writeNumberProperty("running", c.running());
                g.writeNumberProperty("queued", c.queued());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) {
        g.writeArrayPropertyStart(name);
        values.forEach(g::writeString);
        g.writeEndArray();
    }
}
