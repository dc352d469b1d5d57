package dev.tandem.inference;

import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name        the function name, unique within a request
 * @param description what it does; may be empty
 * @param parameters  a JSON Schema object in text form
 */
public record ToolDefinition(String name, String description, String parameters) {
    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parameters, "parameters");
    }
}
