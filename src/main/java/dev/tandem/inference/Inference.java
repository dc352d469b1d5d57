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

    /**
     * A conversation's affinity key, bound around {@link #chat} by callers that want its calls to go to the same
     * channel while it is healthy (a warm prompt cache); unbound: channels are chosen at random by weight.
     */
    ScopedValue<String> AFFINITY = ScopedValue.newInstance();

    /** Every model of the catalog, ordered by id. */
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

    /**
     * Stores {@code channels} (one or more entries with this id) as model {@code id}, replacing it when it exists;
     * in effect on this node at once and on every node sharing the database within seconds.
     *
     * @throws IllegalArgumentException when the settings are not valid; the message says why
     */
    void putModel(String id, List<ModelSettings> channels);

    /** Removes a model from the catalog on every node; false when there is none. */
    boolean deleteModel(String id);

    /** The stored settings of each channel of model {@code id} (API keys included: never show them), or empty. */
    List<ModelSettings> modelSettings(String id);

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
