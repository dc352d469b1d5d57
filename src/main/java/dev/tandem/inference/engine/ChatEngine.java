package dev.tandem.inference.engine;

import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.EngineCapabilities;
import dev.tandem.inference.EngineState;
import dev.tandem.inference.Inference;

/**
 * The port every engine implements: one instance serves one model of the catalog. Engines know nothing of wire
 * dialects; they take a {@link ChatRequest} and produce canonical events.
 *
 * <p>Implementations are thread-safe and translate their own failures into
 * {@link dev.tandem.inference.InferenceException} in one place.
 */
public interface ChatEngine extends AutoCloseable {

    /** Whether the engine can serve now. */
    EngineState state();

    EngineCapabilities capabilities();

    /** Prompt plus output tokens one request may use. */
    int contextLength();

    /** The most output tokens one answer may have. */
    int maxOutputTokens();

    /**
     * Starts answering. {@code request.sampling().maxTokens()} may be null: the engine then allows what the
     * context leaves, up to {@link #maxOutputTokens()}.
     *
     * @throws dev.tandem.inference.InferenceException CONTEXT_TOO_LONG, OVERLOADED, or an engine failure
     */
    ChatStream stream(ChatRequest request);

    /** Prompt tokens of {@code request} as this engine would render it. */
    Inference.TokenCount countTokens(ChatRequest request);

    /** Frees what the engine holds (native memory, connections). */
    @Override
    void close();
}
