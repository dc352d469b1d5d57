package dev.tandem.gateway.openai;

/** How an OpenAI-format answer carries the model's reasoning. */
public enum ReasoningOutput {
    /** {@code reasoning_content} beside {@code content} (the OpenAI-compatible convention of vLLM and DeepSeek). */
    REASONING_CONTENT,
    /** MiniMax's {@code reasoning_details} list ({@code reasoning_split: true}). */
    REASONING_DETAILS,
    /** Inline {@code <think>…</think>} at the start of {@code content} (MiniMax's default). */
    THINK_TAGS
}
