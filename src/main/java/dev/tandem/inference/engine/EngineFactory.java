package dev.tandem.inference.engine;

import dev.tandem.inference.ModelSettings;
import dev.tandem.inference.llamacpp.LlamaCppEngine;
import dev.tandem.inference.remote.AnthropicEngine;
import dev.tandem.inference.remote.OpenAiEngine;
import tools.jackson.databind.ObjectMapper;

/** Builds the engine a model's settings name. Adding an engine type touches this switch and nothing else. */
public final class EngineFactory {

    private EngineFactory() {
    }

    public static ChatEngine create(ModelSettings settings, ObjectMapper json) {
        return switch (settings.engine()) {
            case "llamacpp" -> new LlamaCppEngine(settings, json);
            case "openai" -> new OpenAiEngine(settings, json);
            case "anthropic" -> new AnthropicEngine(settings, json);
            default -> throw new IllegalArgumentException("model " + settings.id() + " names engine '"
                    + settings.engine() + "'; the engines are llamacpp, openai and anthropic");
        };
    }
}
