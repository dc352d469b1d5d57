package dev.tandem.companion;

import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import org.jspecify.annotations.Nullable;

/**
 * How the companion app calls models: only through the Open Platform, as its own organization, so every reply is
 * admitted, routed and metered like any API call and its cost shows in that organization's usage. Two
 * implementations: in-process (the default) and over HTTP to a remote Tandem ({@code TANDEM_COMPANION_PLATFORM_URL}).
 * Thread-safe; each stream is used by one thread.
 */
public interface PlatformClient {

    /**
     * Opens the answer to {@code request}; the caller must close the stream.
     *
     * @param affinity a key that keeps one chat on one backend channel (its prompt cache stays warm), or null
     * @throws CompanionException UNAVAILABLE when the platform refuses or cannot answer (the message says why)
     */
    ChatStream chat(ChatRequest request, @Nullable String affinity);

    /**
     * The prompt tokens {@code request} would use, as its model counts them; empty when the platform cannot tell
     * exactly (the caller then keeps its own estimate).
     */
    java.util.OptionalInt countTokens(ChatRequest request);

    /** The context window of {@code model}, when the platform tells it (in process it does; over HTTP it does not). */
    default java.util.OptionalInt contextTokens(String model) {
        return java.util.OptionalInt.empty();
    }

    /** The models the app may call, in the platform's catalog order. */
    java.util.List<String> models();

    /** Where calls go, for logs and the about page: {@code in-process} or the remote base URL. */
    String describe();
}
