package dev.tandem.gateway.admin;

import dev.tandem.billing.Money;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.http.Fields;
import dev.tandem.identity.Cidrs;
import dev.tandem.identity.KeyRole;
import dev.tandem.identity.KeySpec;
import dev.tandem.inference.Inference;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Reading management API bodies: every field checked, every error naming it. */
final class AdminRequests {

    private static final long MAX_LIMIT_MICROS = 1_000_000_000_000L; // a million currency units

    private AdminRequests() {
    }

    /**
     * An amount of money: a decimal string ({@code "10.50"}) or a JSON number, never negative; -1 when the field is
     * absent or null and not required.
     */
    static long money(JsonNode body, String field, boolean required) {
        return money(body, field, field, required);
    }

    /** {@link #money(JsonNode, String, boolean)} for a field at {@code path} (e.g. {@code price.input}). */
    static long money(JsonNode parent, String name, String field, boolean required) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiError.invalid(field + ": Field required", field);
            }
            return -1;
        }
        if (!n.isString() && !n.isNumber()) {
            throw ApiError.invalid(field + ": expected an amount such as \"10.50\", got " + Fields.type(n), field);
        }
        long amount;
        try {
            amount = Money.parse(n.asString());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ApiError.invalid(field + ": " + e.getMessage(), field);
        }
        if (amount < 0) {
            throw ApiError.invalid(field + ": must not be negative, was " + n.asString(), field);
        }
        return amount;
    }

    /** A key's settings, starting from {@code base} (for updates) or defaults. */
    static KeySpec keySpec(JsonNode body, @Nullable KeySpec base, Inference inference) {
        String name = Fields.optionalString(body, "name", "name");
        if (name == null) {
            name = base != null ? base.name() : "key";
        }
        if (name.isBlank() || name.length() > 200) {
            throw ApiError.invalid("name: 1 to 200 characters", "name");
        }
        String roleText = Fields.optionalString(body, "role", "role");
        KeyRole role;
        try {
            role = roleText == null ? (base != null ? base.role() : KeyRole.DEVELOPER) : KeyRole.parse(roleText);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("role: " + e.getMessage(), "role");
        }
        Long expiresAt = has(body, "expires_at") ? optionalTime(body, "expires_at")
                : base != null ? base.expiresAt() : null;
        List<String> models = has(body, "models") ? strings(body, "models") : base != null ? base.models() : List.of();
        for (String m : models) {
            if (inference.model(m).isEmpty()) {
                throw ApiError.invalid("models: there is no model '" + m + "'", "models");
            }
        }
        List<String> ips = has(body, "ip_allow") ? strings(body, "ip_allow") : base != null ? base.ipAllow() : List.of();
        for (String ip : ips) {
            try {
                Cidrs.validate(ip);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("ip_allow: " + e.getMessage(), "ip_allow");
            }
        }
        try {
            return spec(body, base, name, role, expiresAt, models, ips);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "invalid key settings" : e.getMessage();
            int colon = message.indexOf(':');
            throw ApiError.invalid(message, colon > 0 ? message.substring(0, colon) : null);
        }
    }

    private static KeySpec spec(JsonNode body, @Nullable KeySpec base, String name, KeyRole role,
            @Nullable Long expiresAt, List<String> models, List<String> ips) {
        return new KeySpec(name, role, expiresAt, models,
                has(body, "spend_limit_daily") ? limitMoney(body, "spend_limit_daily")
                        : base != null ? base.spendLimitDaily() : null,
                has(body, "spend_limit_monthly") ? limitMoney(body, "spend_limit_monthly")
                        : base != null ? base.spendLimitMonthly() : null,
                has(body, "rpm") ? Fields.optionalInt(body, "rpm", "rpm", 1, 10_000_000) : base != null ? base.rpm() : null,
                has(body, "tpm") ? Fields.optionalInt(body, "tpm", "tpm", 1, 2_000_000_000)
                        : base != null ? base.tpm() : null,
                has(body, "max_concurrent_streams")
                        ? Fields.optionalInt(body, "max_concurrent_streams", "max_concurrent_streams", 1, 100_000)
                        : base != null ? base.maxStreams() : null,
                ips);
    }

    private static boolean has(JsonNode body, String field) {
        return body.has(field);
    }

    private static @Nullable Long limitMoney(JsonNode body, String field) {
        long v = money(body, field, false);
        if (v < 0) {
            return null;
        }
        if (v == 0 || v > MAX_LIMIT_MICROS) {
            throw ApiError.invalid(field + ": must be more than 0 and at most 1000000.00", field);
        }
        return v;
    }

    private static @Nullable Long optionalTime(JsonNode body, String field) {
        Long seconds = Fields.optionalLong(body, field, field);
        if (seconds == null) {
            return null;
        }
        if (seconds <= 0 || seconds > 32_503_680_000L) {
            throw ApiError.invalid(field + ": a Unix time in seconds, was " + seconds, field);
        }
        return seconds * 1000;
    }

    static List<String> strings(JsonNode body, String field) {
        JsonNode array = Fields.optionalArray(body, field, field);
        if (array == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isString() || array.get(i).asString().isBlank()) {
                throw ApiError.invalid(field + "[" + i + "]: expected a non-empty string", field);
            }
            out.add(array.get(i).asString());
        }
        if (out.size() > 1000) {
            throw ApiError.invalid(field + ": at most 1000 entries", field);
        }
        return out;
    }
}
