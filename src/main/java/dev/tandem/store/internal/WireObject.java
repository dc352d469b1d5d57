package dev.tandem.store.internal;

import dev.tandem.store.Store;
import dev.tandem.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON object a store sent, read field by field: a missing or mistyped required field is a
 * {@link StoreException.Reason#MALFORMED} that names the object and the field. Immutable.
 */
public final class WireObject {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Store store;
    private final String what;
    private final JsonNode node;

    private WireObject(Store store, String what, JsonNode node) {
        this.store = store;
        this.what = what;
        this.node = node;
    }

    /** Parses {@code json} as an object; {@code what} names it in messages ("Apple transaction"). */
    public static WireObject parse(Store store, String what, byte[] json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new StoreException(store, StoreException.Reason.MALFORMED,
                    what + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new StoreException(store, StoreException.Reason.MALFORMED, what + " is not a JSON object");
        }
        return new WireObject(store, what, node);
    }

    public static WireObject parse(Store store, String what, String json) {
        return parse(store, what, json.getBytes(StandardCharsets.UTF_8));
    }

    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public String text(String field) {
        String value = optText(field);
        if (value == null || value.isEmpty()) {
            throw malformed("field '" + field + "' is missing or empty");
        }
        return value;
    }

    public @Nullable String optText(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw malformed("field '" + field + "' must be a string");
        }
        return value.stringValue();
    }

    /** An integer written as a JSON number or, as Google writes int64, a string of digits. */
    public long number(String field) {
        Long value = optNumber(field);
        if (value == null) {
            throw malformed("field '" + field + "' is missing");
        }
        return value;
    }

    public @Nullable Long optNumber(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isString()) {
            try {
                return Long.parseLong(value.stringValue());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw malformed("field '" + field + "' must be an integer");
    }

    public boolean flag(String field, boolean absent) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw malformed("field '" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    public Instant epochMillis(String field) {
        return Instant.ofEpochMilli(number(field));
    }

    public @Nullable Instant optEpochMillis(String field) {
        Long value = optNumber(field);
        return value == null ? null : Instant.ofEpochMilli(value);
    }

    public @Nullable Instant optEpochSeconds(String field) {
        Long value = optNumber(field);
        return value == null ? null : Instant.ofEpochSecond(value);
    }

    /** A timestamp in RFC 3339 ({@code 2025-04-01T10:00:00.123Z}), as Google's v2 APIs write them. */
    public @Nullable Instant optTimestamp(String field) {
        String value = optText(field);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw malformed("field '" + field + "' must be an RFC 3339 timestamp, was '" + value + "'");
        }
    }

    public WireObject object(String field) {
        WireObject value = optObject(field);
        if (value == null) {
            throw malformed("field '" + field + "' is missing");
        }
        return value;
    }

    public @Nullable WireObject optObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw malformed("field '" + field + "' must be an object");
        }
        return new WireObject(store, what + "." + field, value);
    }

    /** The objects of an array field; an absent field is an empty list. */
    public List<WireObject> objects(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw malformed("field '" + field + "' must be an array");
        }
        List<WireObject> out = new ArrayList<>();
        for (JsonNode item : value.values()) {
            if (!item.isObject()) {
                throw malformed("field '" + field + "' must hold objects");
            }
            out.add(new WireObject(store, what + "." + field + "[" + out.size() + "]", item));
        }
        return out;
    }

    /** The strings of an array field; an absent field is an empty list. */
    public List<String> texts(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw malformed("field '" + field + "' must be an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value.values()) {
            if (!item.isString()) {
                throw malformed("field '" + field + "' must hold strings");
            }
            out.add(item.stringValue());
        }
        return out;
    }

    public StoreException malformed(String problem) {
        return new StoreException(store, StoreException.Reason.MALFORMED, what + ": " + problem);
    }
}
