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
import dev.tandem.inference.ModelSettings;
import dev.tandem.inference.llamacpp.LlamaCppEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The model catalog: the models in the database ({@code model_channels}), seeded from configuration with the
 * models the database does not have yet, and changed at runtime through {@link #put}, {@link #delete} and
 * {@link #setChannelEnabled}. Every node polls the catalog's revision and rebuilds its engines within
 * {@code refresh}; a rebuild keeps each channel whose settings did not change (its connections, breaker, loaded
 * model). Every model is a {@link RoutedEngine} over its channels. Local models load in the background, so the
 * server answers at once and {@code /readyz} tells when they are loaded.
 */
@Component
public class ModelRegistry implements Inference, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    /** How long an engine replaced by a change keeps serving the calls it already has before it is closed. */
    private static final Duration RETIRE_AFTER = Duration.ofMinutes(10);

    private final InferenceProperties properties;
    private final ObjectMapper json;
    private final ModelDownloader downloader;
    private final CatalogStore store;
    private final long created = Instant.now().getEpochSecond();
    private final Object rebuilding = new Object();
    private volatile Catalog catalog = new Catalog(Map.of(), Map.of());
    private volatile boolean running;
    private long revision = -1; // guarded by rebuilding
    private @Nullable Thread prober;
    private @Nullable Thread poller;
    /** Local models found before start, loaded when it comes (guarded by rebuilding). */
    private final List<Local> pendingLoads = new ArrayList<>();

    /** One version of the catalog: its models and aliases. */
    private record Catalog(Map<String, Entry> entries, Map<String, String> aliases) {
    }

    /** A model: its first settings, the engine that answers, every channel's engine. */
    private record Entry(ModelSettings settings, RoutedEngine engine, List<Local> engines, long machineCostPerHour) {
    }

    private record Local(ModelSettings settings, ChatEngine engine) {
    }

    public ModelRegistry(InferenceProperties properties, ObjectMapper json, JdbcClient jdbc, TransactionTemplate tx,
            Clock clock, @Value("${tandem.data-dir}") Path dataDir, @Value("${tandem.master-key:}") String masterKey) {
        this.properties = properties;
        this.json = json;
        this.downloader = new ModelDownloader(properties.cacheDir(), properties.downloadToken(),
                properties.downloadProgress());
        List<ModelSettings> configured = allSettings(properties);
        validate(CatalogStore.group(configured)); // bad configuration stops the start, with its reason
        this.store = new CatalogStore(jdbc, tx, json, SecretBox.of(masterKey, dataDir), clock);
        store.seed(configured);
        refresh();
        if (catalog.entries().isEmpty()) {
            log.warn("no models configured: set TANDEM_MODEL=/path/to/model.gguf or list models under "
                    + "tandem.inference.models");
        }
    }

    /**
     * Checks a catalog's models: channel names unique per model, aliases that shadow nothing, fallbacks that are
     * other models, machine costs that parse.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    static void validate(Map<String, List<ModelSettings>> models) {
        Set<String> ids = new HashSet<>(models.keySet());
        Map<String, String> aliases = new HashMap<>();
        for (List<ModelSettings> group : models.values()) {
            ModelSettings first = group.getFirst();
            Set<String> names = new HashSet<>();
            for (ModelSettings s : CatalogStore.named(group)) {
                if (!names.add(s.channel())) {
                    throw new IllegalArgumentException("model " + s.id() + ": channel " + s.channel()
                            + " is named twice");
                }
                machineCostPerHour(s);
                if (s.cost() != null) {
                    micros(s, "cost.input", s.cost().input());
                    micros(s, "cost.cached-input", s.cost().cachedInput());
                    micros(s, "cost.output", s.cost().output());
                }
            }
            for (String alias : first.aliasesOrEmpty()) {
                if (ids.contains(alias) || aliases.put(alias, first.id()) != null) {
                    throw new IllegalArgumentException("alias " + alias + " of model " + first.id()
                            + " is already a model id or another model's alias");
                }
            }
            for (String fallback : first.fallbacksOrEmpty()) {
                if (!ids.contains(fallback) || fallback.equals(first.id())) {
                    throw new IllegalArgumentException("model " + first.id() + ": fallback " + fallback
                            + " is not another model of the catalog");
                }
            }
        }
    }

    /** Reads the catalog again when its revision moved (or always when it was never read). */
    private void refresh() {
        synchronized (rebuilding) {
            long now = store.revision();
            if (now == revision) {
                return;
            }
            List<CatalogStore.Row> rows = store.load();
            rebuild(rows);
            revision = now;
        }
    }

    /** Builds the catalog of {@code rows}, keeping every unchanged channel of the current one. */
    private void rebuild(List<CatalogStore.Row> rows) {
        Map<String, RoutedEngine.Channel> current = new HashMap<>();
        Map<String, ModelSettings> currentSettings = new HashMap<>();
        for (Entry e : catalog.entries().values()) {
            for (int i = 0; i < e.engines().size(); i++) {
                String key = e.settings().id() + "\u0000" + e.engine().channels().get(i).name();
                current.put(key, e.engine().channels().get(i));
                currentSettings.put(key, e.engines().get(i).settings());
            }
        }
        Map<String, List<CatalogStore.Row>> byModel = new LinkedHashMap<>();
        rows.forEach(r -> byModel.computeIfAbsent(r.settings().id(), id -> new ArrayList<>()).add(r));
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> aliases = new HashMap<>();
        Set<RoutedEngine.Channel> kept = new HashSet<>();
        List<Local> toLoad = new ArrayList<>();
        for (List<CatalogStore.Row> group : byModel.values()) {
            ModelSettings first = group.getFirst().settings();
            try {
                List<RoutedEngine.Channel> channels = new ArrayList<>();
                List<Local> engines = new ArrayList<>();
                for (CatalogStore.Row row : group) {
                    ModelSettings s = row.settings();
                    String key = s.id() + "\u0000" + s.channel();
                    RoutedEngine.Channel c = current.get(key);
                    if (c == null || !s.equals(currentSettings.get(key))) {
                        c = channel(s);
                        if (c.engine() instanceof LlamaCppEngine) {
                            toLoad.add(new Local(s, c.engine()));
                        }
                    } else {
                        kept.add(c);
                    }
                    if (!row.enabled() && c.breaker().getState() != CircuitBreaker.State.FORCED_OPEN) {
                        c.breaker().transitionToForcedOpenState();
                    } else if (row.enabled() && c.breaker().getState() == CircuitBreaker.State.FORCED_OPEN) {
                        c.breaker().transitionToClosedState();
                    }
                    channels.add(c);
                    engines.add(new Local(s, c.engine()));
                }
                entries.put(first.id(), new Entry(first, new RoutedEngine(first.id(), channels,
                        first.totalTimeout()), engines, machineCostPerHour(first)));
                first.aliasesOrEmpty().forEach(a -> aliases.putIfAbsent(a, first.id()));
            } catch (RuntimeException e) {
                log.error("model {} cannot be served: {}", first.id(), e.getMessage());
            }
        }
        aliases.keySet().removeIf(entries::containsKey);
        Catalog next = new Catalog(Collections.unmodifiableMap(entries), Map.copyOf(aliases)); // ordered by id
        Catalog previous = catalog;
        catalog = next;
        for (RoutedEngine.Channel c : current.values()) {
            if (!kept.contains(c)) {
                retire(c);
            }
        }
        if (previous.entries().size() > 0 || !entries.isEmpty()) {
            log.info("model catalog: {} models, {} channels", entries.size(),
                    entries.values().stream().mapToInt(e -> e.engines().size()).sum());
        }
        if (running) {
            load(toLoad);
        } else {
            pendingLoads.addAll(toLoad);
        }
    }

    private RoutedEngine.Channel channel(ModelSettings s) {
        ChatEngine engine = EngineFactory.create(s, json);
        RoutedEngine.Gate gate = s.maxConcurrency() == null ? null
                : new RoutedEngine.Gate(s.maxConcurrency(), s.maxQueue() == null ? s.maxConcurrency() * 4
                        : s.maxQueue(), s.queueTimeout() == null ? Duration.ofSeconds(30) : s.queueTimeout());
        return new RoutedEngine.Channel(s.channel(), s.priority() == null ? 0 : s.priority(),
                s.weight() == null ? 1 : s.weight(), engine, RoutedEngine.breaker(s.channel(), properties.routing()),
                new AtomicLong(), gate, s.firstTokenTimeout());
    }

    /** Closes a replaced channel's engine once the calls it still serves have had time to end. */
    private static void retire(RoutedEngine.Channel c) {
        Thread.ofVirtual().name("retire-" + c.name()).start(() -> {
            try {
                Thread.sleep(RETIRE_AFTER);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.engine().close();
        });
    }

    /** Loads local models in the background: native loading blocks its thread for seconds (a platform one). */
    private void load(List<Local> local) {
        if (local.isEmpty()) {
            return;
        }
        Thread.ofPlatform().name("model-loader").daemon(true).start(() -> {
            for (Local e : local) {
                ((LlamaCppEngine) e.engine()).load(modelFile(e.settings()), properties.nativeDir());
            }
        });
    }

    // ---- runtime changes

    /**
     * Stores {@code channels} as the model {@code id} (replacing it when it exists); in effect on this node at once
     * and on every node within the refresh interval.
     *
     * @throws IllegalArgumentException when the model's settings are not valid (the message says why)
     */
    @Override
    public void putModel(String id, List<ModelSettings> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one channel");
        }
        // the catalog as it would be: every other model as it is, this one as given
        Map<String, List<ModelSettings>> next = new LinkedHashMap<>();
        catalog.entries().forEach((other, e) -> {
            if (!other.equals(id)) {
                next.put(other, e.engines().stream().map(Local::settings).toList());
            }
        });
        next.put(id, CatalogStore.named(channels));
        validate(next);
        store.put(id, channels);
        refresh();
    }

    /** Removes a model; false when there is none. Other models' fallbacks to it are skipped from then on. */
    @Override
    public boolean deleteModel(String id) {
        boolean deleted = store.delete(id);
        refresh();
        return deleted;
    }

    /** The stored settings of every channel of {@code id} (API keys included), or empty. */
    @Override
    public List<ModelSettings> modelSettings(String id) {
        Entry e = catalog.entries().get(id);
        return e == null ? List.of() : e.engines().stream().map(Local::settings).toList();
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
                    null, null, null, null, null, null, null, null, null, null, null, null, null));
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
        return micros(s, "machine-cost-per-hour", text);
    }

    /**
     * An amount of money in micro-units: a decimal, not negative, at most six decimals (0 when not given).
     *
     * @throws IllegalArgumentException naming the model, the field and the value
     */
    private static long micros(ModelSettings s, String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long micros = new java.math.BigDecimal(text.trim()).movePointRight(6).longValueExact();
            if (micros < 0) {
                throw new ArithmeticException("negative");
            }
            return micros;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("model " + s.id() + (s.channel() == null ? "" : " channel "
                    + s.channel()) + ": " + field + " must be an amount of money such as \"2.50\" (at most 6 "
                    + "decimals, not negative), was '" + text + "'");
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
                for (Entry e : catalog.entries().values()) {
                    e.engine().probe();
                }
            }
        });
        long refreshMillis = Math.max(100, properties.catalogRefresh().toMillis());
        poller = Thread.ofVirtual().name("catalog-poller").start(() -> {
            while (running) {
                try {
                    Thread.sleep(refreshMillis);
                    refresh();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("could not read the model catalog: {}", e.getMessage());
                }
            }
        });
        List<Local> loads;
        synchronized (rebuilding) {
            loads = List.copyOf(pendingLoads);
            pendingLoads.clear();
        }
        load(loads);
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
        if (poller != null) {
            poller.interrupt();
        }
        catalog.entries().values().forEach(e -> e.engine().close());
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
        return catalog.entries().values().stream().map(this::info).toList();
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
        Catalog c = catalog;
        Entry e = c.entries().get(idOrAlias);
        if (e == null) {
            String id = c.aliases().get(idOrAlias);
            e = id == null ? null : c.entries().get(id);
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
        for (Entry e : catalog.entries().values()) {
            out.addAll(e.engine().status());
        }
        return out;
    }

    /** Takes a channel out of service on every node (stored), or puts it back; at once on this node. */
    @Override
    public boolean setChannelEnabled(String model, String channel, boolean enabled) {
        Entry e = catalog.entries().get(model);
        if (e == null || !store.setEnabled(model, channel, enabled)) {
            return false;
        }
        e.engine().setEnabled(channel, enabled);
        refresh();
        return true;
    }

    @Override
    public boolean ready() {
        return catalog.entries().values().stream().allMatch(e -> e.engine().state() instanceof EngineState.Ready);
    }
}
