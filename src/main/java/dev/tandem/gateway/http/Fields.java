package dev.tandem.gateway.http;

import dev.tandem.gateway.ApiError;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Typed, validated reads of request fields. Every failure is an INVALID_REQUEST {@link ApiError} that names the
 * field (in the path notation the caller's dialect uses) and says what is allowed.
 */
public final class Fields {

    private Fields() {
    }

    public static String requiredString(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw ApiError.invalid(path + ": Field required", path);
        }
        if (!n.isString()) {
            throw ApiError.invalid(path + ": expected a string, got " + type(n), path);
        }
        return n.asString();
    }

    public static @Nullable String optionalString(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw ApiError.invalid(path + ": expected a string, got " + type(n), path);
        }
        return n.asString();
    }

    public static @Nullable Boolean optionalBoolean(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ApiError.invalid(path + ": expected a boolean, got " + type(n), path);
        }
        return n.asBoolean();
    }

    public static @Nullable Integer optionalInt(JsonNode parent, String name, String path, int min, int max) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiError.invalid(path + ": expected an integer, got " + type(n), path);
        }
        int v = n.asInt();
        if (v < min || v > max) {
            throw ApiError.invalid(path + ": must be between " + min + " and " + max + ", was " + v, path);
        }
        return v;
    }

    public static @Nullable Long optionalLong(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiError.invalid(path + ": expected an integer, got " + type(n), path);
        }
        return n.asLong();
    }

    public static @Nullable Double optionalNumber(JsonNode parent, String name, String path, double min, double max) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw ApiError.invalid(path + ": expected a number, got " + type(n), path);
        }
        double v = n.asDouble();
        if (v < min || v > max) {
            throw ApiError.invalid(path + ": must be between " + min + " and " + max + ", was " + n, path);
        }
        return v;
    }

    public static @Nullable JsonNode optionalArray(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw ApiError.invalid(path + ": expected an array, got " + type(n), path);
        }
        return n;
    }

    public static @Nullable JsonNode optionalObject(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiError.invalid(path + ": expected an object, got " + type(n), path);
        }
        return n;
    }

    /** A string or an array of strings (stop sequences), at most {@code max} of them. */
    public static List<String> stringOrStrings(JsonNode parent, String name, String path, int max) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (n.isString()) {
            out.add(n.asString());
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                if (!n.get(i).isString()) {
                    throw ApiError.invalid(path + "[" + i + "]: expected a string, got " + type(n.get(i)), path);
                }
                out.add(n.get(i).asString());
            }
        } else {
            throw ApiError.invalid(path + ": expected a string or an array of strings, got " + type(n), path);
        }
        if (out.size() > max) {
            throw ApiError.invalid(path + ": at most " + max + " sequences are allowed, got " + out.size(), path);
        }
        return out;
    }

    public static String type(JsonNode n) {
        if (n.isString()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "null";
    }
}
