package dev.tandem.gateway.openai;

import dev.tandem.inference.ChatRequest;
import org.jspecify.annotations.Nullable;

/**
 * A decoded OpenAI-format chat call: the canonical request plus how the caller wants the answer delivered.
 *
 * @param request        the canonical request
 * @param stream         SSE instead of one body
 * @param includeUsage   {@code stream_options.include_usage}
 * @param reasoningSplit MiniMax's {@code reasoning_split}: true for {@code reasoning_details}, false for inline
 *                       {@code <think>} tags, null when absent (the endpoint's default applies)
 */
public record OpenAiChatCall(ChatRequest request, boolean stream, boolean includeUsage,
        @Nullable Boolean reasoningSplit) {
}
