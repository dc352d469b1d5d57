package dev.tandem.inference.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.EngineCapabilities;
import dev.tandem.inference.EngineState;
import dev.tandem.inference.Inference;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.QueuePriority;
import dev.tandem.inference.ResponseFormat;
import dev.tandem.inference.ToolChoice;
import dev.tandem.inference.engine.ChatEngine;
import dev.tandem.inference.ModelSettings;
import dev.tandem.inference.engine.OpenAiChatJson;
import dev.tandem.inference.engine.PriorityPermits;
import dev.tandem.inference.output.ToolCallSyntax;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * A GGUF model run in-process by llama.cpp.
 *
 * <p>The model loads in the background ({@link #state()} tells when it is ready). Up to {@code parallel} requests
 * decode together in llama.cpp's slots (continuous batching); further requests wait for a slot, up to
 * {@code maxQueue} of them for at most {@code queueTimeout}, and are refused as overloaded beyond that.
 *
 * <p>Native calls block their thread; virtual threads would pin their carrier there, so each stream reads the
 * engine from its own platform thread and hands results to the consumer through a queue.
 */
public final class LlamaCppEngine implements ChatEngine {

    private static final Logger log = LoggerFactory.getLogger(LlamaCppEngine.class);

    private final ModelSettings settings;
    private final ObjectMapper json;
    private final int contextSize;
    private final int parallel;
    private final int threads;
    private final int maxQueue;
    private final Duration queueTimeout;
    private final PriorityPermits slots;
    private final ExecutorService readers;

    private volatile EngineState state = new EngineState.Loading("waiting to load");
    private volatile @Nullable Loaded loaded;

    /** What exists once the model is loaded. */
    record Loaded(LlamaModel model, GgufMetadata metadata, PromptRenderer renderer, ToolCallSyntax syntax,
            int contextSize) {
    }

    public LlamaCppEngine(ModelSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        this.parallel = positive(settings.parallel(), 1, "parallel");
        int cores = Runtime.getRuntime().availableProcessors();
        this.threads = positive(settings.threads(), Math.max(1, cores / 2), "threads");
        this.contextSize = settings.contextSize() == null ? 0 : positive(settings.contextSize(), 0, "context-size");
        this.maxQueue = settings.maxQueue() == null ? parallel * 16 : settings.maxQueue();
        this.queueTimeout = settings.queueTimeout() == null ? Duration.ofSeconds(30) : settings.queueTimeout();
        this.slots = new PriorityPermits(parallel, this.maxQueue);
        this.readers = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("llama-" + settings.id() + "-", 0).daemon(true).factory());
    }

    private static int positive(@Nullable Integer value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    /**
     * Loads the model; call once, from a background thread.
     *
     * @param file      supplies the GGUF file (it may download it first)
     * @param nativeDir where the native library is extracted
     */
    public void load(Supplier<Path> file, Path nativeDir) {
        try {
            state = new EngineState.Loading("locating model file");
            Path path = file.get();
            state = new EngineState.Loading("loading " + path.getFileName());
            long started = System.nanoTime();
            GgufMetadata meta = GgufMetadata.read(path);
            int trained = meta.trainedContextLength().orElse(4096);
            int ctx = contextSize > 0 ? contextSize : Math.min(trained, 4096);
            String template = settings.chatTemplate() != null ? settings.chatTemplate() : meta.chatTemplate().orElse(null);
            NativeLibrary.load(nativeDir);
            ModelParameters params = new ModelParameters()
                    .setModel(path.toString())
                    // every slot may fill its whole context at once; the KV cache they share gets one slot's worth
                    // more, or llama.cpp, short of free cells in it, fails a full prompt under load ("Input prompt
                    // is too big compared to KV size")
                    .setCtxSize(ctx * parallel + (parallel > 1 ? ctx : 0))
                    .setParallel(parallel)
                    .setThreads(threads)
                    .setThreadsBatch(threads)
                    .disableLog();
            if (template != null) {
                params.enableJinja();
                if (settings.chatTemplate() != null) {
                    params.setChatTemplate(settings.chatTemplate());
                }
            }
            LlamaModel model = new LlamaModel(params);
            NativeLibrary.routeLogs();
            PromptRenderer renderer = template != null
                    ? new ChatTemplateRenderer(model, json, template)
                    : new PlainPromptRenderer();
            loaded = new Loaded(model, meta, renderer, ToolCallSyntax.forTemplate(template), ctx);
            state = EngineState.READY;
            log.info("model {} ready: {} ({}), context {} tokens x {} slots, {} threads, {} template, in {} ms",
                    settings.id(), path.getFileName(), meta.architecture(), ctx, parallel, threads,
                    template == null ? "plain fallback" : "its own", (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            state = new EngineState.Failed(reason);
            log.error("model {} failed to load: {}", settings.id(), reason);
        }
    }

    @Override
    public EngineState state() {
        return state;
    }

    @Override
    public EngineCapabilities capabilities() {
        return new EngineCapabilities(true, true, true, true);
    }

    @Override
    public int contextLength() {
        Loaded l = loaded;
        return l != null ? l.contextSize() : Math.max(contextSize, 0);
    }

    @Override
    public int maxOutputTokens() {
        Integer configured = settings.maxOutputTokens();
        int ctx = contextLength();
        return configured != null ? Math.min(configured, Math.max(ctx, 1)) : Math.max(ctx, 1);
    }

    @Override
    public Inference.TokenCount countTokens(ChatRequest request) {
        Loaded l = requireLoaded();
        PromptRenderer.Prompt prompt = l.renderer().render(request, showTools(request));
        return new Inference.TokenCount(tokenize(l, prompt.text()).length, true);
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        Loaded l = requireLoaded();
        boolean withTools = showTools(request);
        PromptRenderer.Prompt prompt = l.renderer().render(request, withTools);
        int[] tokens = tokenize(l, prompt.text());
        int ctx = l.contextSize();
        Integer asked = request.sampling().maxTokens();
        int maxTokens;
        if (asked != null) {
            if (tokens.length + asked > ctx) {
                throw new InferenceException(InferenceException.Kind.CONTEXT_TOO_LONG,
                        "This model's maximum context length is " + ctx + " tokens. However, you requested "
                                + (tokens.length + asked) + " tokens (" + tokens.length + " in the messages, " + asked
                                + " in the completion). Please reduce the length of the messages or completion.",
                        "messages");
            }
            maxTokens = asked;
        } else {
            if (tokens.length >= ctx) {
                throw new InferenceException(InferenceException.Kind.CONTEXT_TOO_LONG,
                        "This model's maximum context length is " + ctx + " tokens. However, your messages resulted in "
                                + tokens.length + " tokens. Please reduce the length of the messages.", "messages");
            }
            maxTokens = Math.min(maxOutputTokens(), ctx - tokens.length);
        }
        ToolCallSyntax syntax = withTools ? l.syntax() : ToolCallSyntax.NONE;
        String grammar = grammar(request, syntax);
        String body = completionJson(request, tokens, maxTokens, grammar);
        acquireSlot(request.priority());
        try {
            return new LlamaChatStream(l.model(), body, tokens.length, maxTokens, syntax, prompt.startsReasoning(),
                    request.sampling().stop(), readers, slots::release);
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private static boolean showTools(ChatRequest request) {
        return !request.tools().isEmpty() && !(request.toolChoice() instanceof ToolChoice.None);
    }

    private Loaded requireLoaded() {
        Loaded l = loaded;
        if (l == null) {
            EngineState s = state;
            String why = s instanceof EngineState.Failed f ? "failed to load: " + f.reason()
                    : s instanceof EngineState.Loading ld ? "is loading (" + ld.detail() + ")" : "is not loaded";
            throw new InferenceException(s instanceof EngineState.Failed ? InferenceException.Kind.UPSTREAM_UNAVAILABLE
                    : InferenceException.Kind.OVERLOADED, "model " + settings.id() + " " + why, null,
                    Duration.ofSeconds(5), null);
        }
        return l;
    }

    private int[] tokenize(Loaded l, String text) {
        int[] tokens = l.model().encode(text);
        GgufMetadata meta = l.metadata();
        boolean hasBos = meta.bosToken().map(text::startsWith).orElse(false);
        if (meta.addsBos() && !hasBos) {
            int bos = meta.number("tokenizer.ggml.bos_token_id").orElse(1L).intValue();
            int[] withBos = new int[tokens.length + 1];
            withBos[0] = bos;
            System.arraycopy(tokens, 0, withBos, 1, tokens.length);
            return withBos;
        }
        return tokens;
    }

    private void acquireSlot(QueuePriority priority) {
        try {
            switch (slots.acquire(priority, queueTimeout)) {
                case ACQUIRED -> { }
                case QUEUE_FULL -> throw overloaded("all " + parallel + " slots of model " + settings.id()
                        + " are busy and " + maxQueue + " requests are waiting");
                case TIMED_OUT -> throw overloaded("no slot of model " + settings.id() + " became free within "
                        + queueTimeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw overloaded("interrupted while waiting for a slot of model " + settings.id());
        }
    }

    private static InferenceException overloaded(String message) {
        return new InferenceException(InferenceException.Kind.OVERLOADED, message, null, Duration.ofSeconds(1), null);
    }

    private @Nullable String grammar(ChatRequest request, ToolCallSyntax syntax) {
        boolean mustCall = request.toolChoice() instanceof ToolChoice.Required
                || request.toolChoice() instanceof ToolChoice.Named;
        if (mustCall && syntax != ToolCallSyntax.NONE) {
            return Grammars.toolCall(request, syntax);
        }
        return switch (request.responseFormat()) {
            case ResponseFormat.Text t -> null;
            case ResponseFormat.JsonObject j -> Grammars.fromSchema("{\"type\":\"object\"}", "response_format");
            case ResponseFormat.JsonSchema s -> Grammars.fromSchema(s.schema(), "response_format.json_schema.schema");
        };
    }

    private String completionJson(ChatRequest request, int[] tokens, int maxTokens, @Nullable String grammar) {
        StringWriter out = new StringWriter(tokens.length * 6 + 256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("prompt");
            g.writeArray(tokens, 0, tokens.length);
            g.writeNumberProperty("n_predict", maxTokens);
            g.writeBooleanProperty("stream", true);
            g.writeBooleanProperty("cache_prompt", true);
            var s = request.sampling();
            OpenAiChatJson.writeSamplers(g, s);
            if (s.seed() != null) {
                g.writeNumberProperty("seed", s.seed() & 0x7FFFFFFFL);
            }
            if (grammar != null) {
                g.writeStringProperty("grammar", grammar);
            }
            if (s.ignoreEos()) {
                g.writeBooleanProperty("ignore_eos", true);
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    /**
     * Frees the model once every stream has handed its slot back (their readers have left native code); a
     * reader still inside llama.cpp after 10 s leaves the native memory to the process exit rather than risk
     * freeing it under that reader.
     */
    @Override
    public void close() {
        Loaded l = loaded;
        loaded = null;
        state = new EngineState.Failed("closed");
        if (l == null) {
            readers.shutdown();
            return;
        }
        boolean idle;
        try {
            idle = slots.drain(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        readers.shutdown();
        if (idle) {
            l.model().close();
        } else {
            log.warn("model {}: streams still inside llama.cpp at shutdown; its memory is left to the process exit",
                    settings.id());
        }
    }
}
