package dev.tandem.inference;

import java.util.Objects;

/** The shape the answer text must have. */
public sealed interface ResponseFormat {

    /** Free text. */
    record Text() implements ResponseFormat {}

    /** Any JSON object. */
    record JsonObject() implements ResponseFormat {}

    /** JSON that satisfies {@code schema} (a JSON Schema in text form). */
    record JsonSchema(String name, String schema, boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }
    }

    ResponseFormat TEXT = new Text();
    ResponseFormat JSON_OBJECT = new JsonObject();
}
