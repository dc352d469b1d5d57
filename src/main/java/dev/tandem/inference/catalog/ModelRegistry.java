package dev.tandem.inference.catalog;

import dev.tandem.inference.ChannelStatus;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The model catalog built from configuration: one engine per model, or a {@link RoutedEngine} over the channels of
 * a model configured several times. Local models load in the background after
 * start, so the server answers at once and {@code /readyz} tells when they are loaded.
 */
@Component
public class ModelRegistry implements Inference, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final Map<String, Entry> entries;
    /** alias → model id */
    private final Map<String, String> aliases;
    private final InferenceProperties properties;
    private final ModelDownloader downloader;
    private final long created = Instant.now().getEpochSecond();
    private volatile boolean running;
    private @Nullable Thread prober;

    /** A model: its first settings, the engine that answers (routed when it has channels), every engine. */
    private record Entry(ModelSettings settings, ChatEngine engine, List<Local> engines, long machineCostPerHour) {
    }

    private record Local(ModelSettings settings, ChatEngine engine) {
    }

    public ModelRegistry(InferenceProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.downloader = new ModelDownloader(properties.cacheDir(), properties.downloadToken(),
                properties.downloadProgress());
        // entries sharing an id are channels of one model
        Map<String, List<ModelSettings>> byId = new LinkedHashMap<>();
        for (ModelSettings s : allSettings(properties)) {
            byId.computeIfAbsent(s.id(), id -> new ArrayList<>()).add(s);
        }
        Map<String, Entry> map = new LinkedHashMap<>();
        for (List<ModelSettings> group : byId.values()) {
            ModelSettings first = group.getFirst();
            List<RoutedEngine.Channel> channels = new ArrayList<>();
            List<Local> engines = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < group.size(); i++) {
                ModelSettings s = group.get(i);
                String name = s.channel() != null && !s.channel().isBlank() ? s.channel()
                        : s.engine() + ":" + s.id() + (group.size() > 1 ? "#" + (i + 1) : "");
                if (!names.add(name)) {
                    throw new IllegalArgumentException("model " + s.id() + ": channel " + name + " is named twice");
                }
                ChatEngine engine = EngineFactory.create(s, json);
                engines.add(new Local(s, engine));
                RoutedEngine.Gate gate = s.maxConcurrency() == null ? null
                        : new RoutedEngine.Gate(s.maxConcurrency(), s.maxQueue() == null ? s.maxConcurrency() * 4
                                : s.maxQueue(), s.queueTimeout() == null ? Duration.ofSeconds(30) : s.queueTimeout());
                channels.add(new RoutedEngine.Channel(name, s.priority() == null ? 0 : s.priority(),
                        s.weight() == null ? 1 : s.weight(), engine, RoutedEngine.breaker(name, properties.routing()),
                        new AtomicLong(), gate, s.firstTokenTimeout()));
            }
            Entry entry = new Entry(first, new RoutedEngine(first.id(), channels, first.totalTimeout()), engines,
                    machineCostPerHour(first));
            map.put(first.id(), entry);
        }
        // aliases: other names of a model, never shadowing a model's own id
        Map<String, String> aliasMap = new HashMap<>();
        for (Entry e : map.values()) {
            for (String alias : e.settings().aliasesOrEmpty()) {
                if (map.containsKey(alias) || aliasMap.put(alias, e.settings().id()) != null) {
                    throw new IllegalArgumentException("alias " + alias + " of model " + e.settings().id()
                            + " is already a model id or another model's alias");
                }
            }
            for (String fallback : e.settings().fallbacksOrEmpty()) {
                if (!map.containsKey(fallback) || fallback.equals(e.settings().id())) {
                    throw new IllegalArgumentException("model " + e.settings().id() + ": fallback " + fallback
                            + " is not another model of the catalog");
                }
            }
        }
        this.aliases = Map.copyOf(aliasMap);
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
                    null, null, null, null, null, null, null, null, null, null, null, null));
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
        long every = properties.routing().probeInterval().toMillis();
        prober = Thread.ofVirtual().name("channel-prober").start(() -> {
            while (running) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
                for (Entry e : entries.values()) {
                    if (e.engine() instanceof RoutedEngine routed) {
                        routed.probe();
                    }
                }
            }
        });
        List<Local> local = entries.values().stream().flatMap(e -> e.engines().stream())
                .filter(e -> e.engine() instanceof LlamaCppEngine).toList();
        if (local.isEmpty()) {
            return;
        }
        // Native loading blocks its thread for seconds: a platform thread, not a virtual one.
        Thread.ofPlatform().name("model-loader").daemon(true).start(() -> {
            for (Local e : local) {
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
        if (prober != null) {
            prober.interrupt();
        }
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
        Entry e = entry(id);
        return e == null ? Optional.empty() : Optional.of(info(e));
    }

    private ModelInfo info(Entry e) {
        ChatEngine engine = e.engine();
        String owner = e.settings().ownedBy() != null ? e.settings().ownedBy() : "tandem";
        return new ModelInfo(e.settings().id(), e.settings().engine(), owner, created, engine.contextLength(),
                engine.maxOutputTokens(), engine.capabilities(), engine.state(), e.settings().aliasesOrEmpty(),
                e.settings().fallbacksOrEmpty(), e.machineCostPerHour());
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

    /** The model with this id or alias, or null. */
    private @Nullable Entry entry(String idOrAlias) {
        Entry e = entries.get(idOrAlias);
        if (e == null) {
            String id = aliases.get(idOrAlias);
            e = id == null ? null : entries.get(id);
        }
        return e;
    }

    private ChatEngine engine(String model) {
        Entry e = entry(model);
        if (e == null) {
            throw new InferenceException(InferenceException.Kind.MODEL_NOT_FOUND,
                    "The model `" + model + "` does not exist or you do not have access to it.", "model");
        }
        return e.engine();
    }

    @Override
    public List<ChannelStatus> channels() {
        List<ChannelStatus> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.engine() instanceof RoutedEngine routed) {
                out.addAll(routed.status());
            }
        }
        return out;
    }

    @Override
    public boolean setChannelEnabled(String model, String channel, boolean enabled) {
        Entry e = entries.get(model);
        return e != null && e.engine() instanceof RoutedEngine routed && routed.setEnabled(channel, enabled);
    }

    @Override
    public boolean ready() {
        return entries.values().stream().allMatch(e -> e.engine().state() instanceof EngineState.Ready);
    }
}
