package dev.tandem.gateway.admin;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/** Small writers the management API's responses share: optional strings and times in Unix seconds. */
final class ManagementJson {

    private ManagementJson() {
    }

    /** {@code {"object":"list","data":[…]}}, each item written by {@code each}. */
    static <T> void list(JsonGenerator g, Iterable<T> items, java.util.function.BiConsumer<JsonGenerator, T> each) {
        g.writeStartObject();
        g.writeStringProperty("object", "list");
        g.writeArrayPropertyStart("data");
        for (T item : items) {
            each.accept(g, item);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void nullable(JsonGenerator g, String name, @Nullable String value) {
        if (value == null) {
            g.writeNullProperty(name);
        } else {
            g.writeStringProperty(name, value);
        }
    }

    /** Epoch ms as Unix seconds, or null. */
    static void time(JsonGenerator g, String name, @Nullable Long millis) {
        if (millis == null) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, millis / 1000);
        }
    }
}
