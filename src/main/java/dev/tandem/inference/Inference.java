package dev.tandem.inference;

import java.util.List;
import java.util.Optional;

/**
 * The inference module's face: the model catalog and the one way to run a chat on it.
 *
 * <p>Thread-safe. Implementations resolve the model, apply its limits (a missing {@code maxTokens} gets the
 * model's default; one above its maximum is refused), and open a stream on the engine serving it.
 */
public interface Inference {

    /** Every model of the catalog, in configuration order. */
    List<ModelInfo> models();

    Optional<ModelInfo> model(String id);

    /**
     * Starts answering {@code request}. The caller owns the returned stream and must close it.
     *
     * @throws InferenceException MODEL_NOT_FOUND, INVALID_REQUEST (limits), CONTEXT_TOO_LONG, OVERLOADED (busy or
     *                            loading), or an engine failure before the first event
     */
    ChatStream chat(ChatRequest request);

    /**
     * Counts the prompt tokens {@code request} would use, as the engine would render it.
     *
     * @throws InferenceException MODEL_NOT_FOUND or OVERLOADED while the model loads
     */
    TokenCount countTokens(ChatRequest request);

    /** The channels of every model that has several, with their health. */
    List<ChannelStatus> channels();

    /**
     * Takes a channel out of service until it is enabled again ({@code enabled} false), or puts it back.
     *
     * @return false when the model has no such channel
     */
    boolean setChannelEnabled(String model, String channel, boolean enabled);

    /** True when every configured model can serve. */
    boolean ready();

    /**
     * A prompt token count.
     *
     * @param tokens the count
     * @param exact  false when the engine has no tokenizer here and the count is an estimate
     */
    record TokenCount(int tokens, boolean exact) {
    }
}
