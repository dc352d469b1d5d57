package dev.tandem.inference.catalog;

import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.EngineState;
import dev.tandem.inference.Inference;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.InferenceProperties;
import dev.tandem.inference.ModelInfo;
import dev.tandem.inference.download.ModelDownloader;
import dev.tandem.inference.engine.ChatEngine;
import dev.tandem.inference.engine.EngineFactory;
import dev.tandem.inference.engine.ModelSettings;
import dev.tandem.inference.llamacpp.LlamaCppEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The model catalog built from configuration: one engine per model. Local models load in the background after
 * start, so the server answers at once and {@code /readyz} tells when they are loaded.
 */
@Component
public class ModelRegistry implements Inference, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final Map<String, Entry> entries;
    private final InferenceProperties properties;
    private final ModelDownloader downloader;
    private final long created = Instant.now().getEpochSecond();
    private volatile boolean running;

    private record Entry(ModelSettings settings, ChatEngine engine, long machineCostPerHour) {
    }

    public ModelRegistry(InferenceProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.downloader = new ModelDownloader(properties.cacheDir(), properties.downloadToken(),
                properties.downloadProgress());
        Map<String, Entry> map = new LinkedHashMap<>();
        for (ModelSettings s : allSettings(properties)) {
            if (map.containsKey(s.id())) {
                throw new IllegalArgumentException("model id " + s.id() + " is configured twice");
            }
            map.put(s.id(), new Entry(s, EngineFactory.create(s, json), machineCostPerHour(s)));
        }
        this.entries = map;
        if (map.isEmpty()) {
            log.warn("no models configured: set TANDEM_MODEL=/path/to/model.gguf or list models under "
                    + "tandem.inference.models");
        }
    }

    private static List<ModelSettings> allSettings(InferenceProperties p) {
        List<ModelSettings> all = new ArrayList<>();
        if (p.model() != null && !p.model().isBlank()) {
            String source = p.model().trim();
            String id = p.modelId() != null && !p.modelId().isBlank() ? p.modelId() : idFromFile(source);
            boolean remote = source.startsWith("http://") || source.startsWith("https://");
            all.add(new ModelSettings(id, "llamacpp", remote ? null : source, remote ? source : null, null,
                    p.contextSize() > 0 ? p.contextSize() : null, p.parallel() > 0 ? p.parallel() : null,
                    p.threads() > 0 ? p.threads() : null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null));
        }
        all.addAll(p.modelsOrEmpty());
        return all;
    }

    /**
     * A local model's {@code machine-cost-per-hour} in micro-units (0 when not set).
     *
     * @throws IllegalArgumentException for remote engines (their cost is per token, in the price catalog), or for
     *                                  an amount that is negative or finer than a micro-unit
     */
    static long machineCostPerHour(ModelSettings s) {
        String text = s.machineCostPerHour();
        if (text == null || text.isBlank()) {
            return 0;
        }
        if (!s.engine().equals("llamacpp")) {
            throw new IllegalArgumentException("model " + s.id() + ": machine-cost-per-hour applies to llamacpp "
                    + "models; give remote engines per-token costs in tandem.billing.prices");
        }
        try {
            long micros = new java.math.BigDecimal(text.trim()).movePointRight(6).longValueExact();
            if (micros < 0) {
                throw new ArithmeticException("negative");
            }
            return micros;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("model " + s.id() + ": machine-cost-per-hour must be an amount of "
                    + "money such as \"2.50\" (at most 6 decimals, not negative), was '" + text + "'");
        }
    }

    static String idFromFile(String source) {
        String name = source.replaceAll("[?#].*$", "");
        name = name.substring(name.lastIndexOf('/') + 1);
        return name.endsWith(".gguf") ? name.substring(0, name.length() - ".gguf".length()) : name;
    }

    @Override
    public void start() {
        running = true;
        List<Entry> local = entries.values().stream().filter(e -> e.engine() instanceof LlamaCppEngine).toList();
        if (local.isEmpty()) {
            return;
        }
        // Native loading blocks its thread for seconds: a platform thread, not a virtual one.
        Thread.ofPlatform().name("model-loader").daemon(true).start(() -> {
            for (Entry e : local) {
                ((LlamaCppEngine) e.engine()).load(modelFile(e.settings()), properties.nativeDir());
            }
        });
    }

    private Supplier<Path> modelFile(ModelSettings s) {
        return () -> {
            if (s.path() != null && !s.path().isBlank()) {
                Path path = Path.of(s.path());
                if (!Files.isRegularFile(path)) {
                    throw new IllegalStateException("model file " + path.toAbsolutePath() + " does not exist"
                            + (s.url() != null ? "" : "; give a path to a .gguf file or a url to download it from"));
                }
                return path;
            }
            if (s.url() != null && !s.url().isBlank()) {
                return downloader.fetch(URI.create(s.url()), s.sha256());
            }
            throw new IllegalStateException("model " + s.id() + " needs a path or a url");
        };
    }

    @Override
    public void stop() {
        running = false;
        entries.values().forEach(e -> e.engine().close());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Engines close after the web server has drained (lower phases stop later). */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    @Override
    public List<ModelInfo> models() {
        return entries.values().stream().map(this::info).toList();
    }

    @Override
    public Optional<ModelInfo> model(String id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(info(e));
    }

    private ModelInfo info(Entry e) {
        ChatEngine engine = e.engine();
        String owner = e.settings().ownedBy() != null ? e.settings().ownedBy() : "tandem";
        return new ModelInfo(e.settings().id(), e.settings().engine(), owner, created, engine.contextLength(),
                engine.maxOutputTokens(), engine.capabilities(), engine.state(), e.machineCostPerHour());
    }

    @Override
    public ChatStream chat(ChatRequest request) {
        ChatEngine engine = engine(request.model());
        Integer max = request.sampling().maxTokens();
        if (max != null) {
            if (max < 1) {
                throw new InferenceException(InferenceException.Kind.INVALID_REQUEST,
                        "max_tokens must be at least 1, was " + max, "max_tokens");
            }
            int limit = engine.maxOutputTokens();
            if (max > limit) {
                throw new InferenceException(InferenceException.Kind.INVALID_REQUEST, "max_tokens is too large: " + max
                        + ". This model supports at most " + limit + " completion tokens, whereas you provided "
                        + max + ".", "max_tokens");
            }
        }
        return engine.stream(request);
    }

    @Override
    public TokenCount countTokens(ChatRequest request) {
        return engine(request.model()).countTokens(request);
    }

    private ChatEngine engine(String model) {
        Entry e = entries.get(model);
        if (e == null) {
            throw new InferenceException(InferenceException.Kind.MODEL_NOT_FOUND,
                    "The model `" + model + "` does not exist or you do not have access to it.", "model");
        }
        return e.engine();
    }

    @Override
    public boolean ready() {
        return entries.values().stream().allMatch(e -> e.engine().state() instanceof EngineState.Ready);
    }
}
