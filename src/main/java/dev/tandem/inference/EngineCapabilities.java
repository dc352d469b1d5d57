package dev.tandem.inference;

/**
 * What an engine can do for a model.
 *
 * @param tools             tool calls
 * @param jsonMode          output constrained to JSON ({@code response_format} json_object / json_schema)
 * @param thinking          it separates reasoning from the answer
 * @param exactTokenCounts  token counts come from the model's own tokenizer rather than an estimate
 */
public record EngineCapabilities(boolean tools, boolean jsonMode, boolean thinking, boolean exactTokenCounts) {
}
