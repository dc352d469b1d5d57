package dev.tandem.web.console;

import dev.tandem.billing.Money;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.KeyRole;
import dev.tandem.identity.KeySpec;
import dev.tandem.inference.Inference;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The key form of the console: text fields as a browser posts them, read into a {@link KeySpec} (which checks the
 * ranges). Empty fields mean "none"; lists are separated by commas, spaces or new lines; an expiry date means the
 * key works through the end of that day (UTC).
 */
final class KeyForm {

    private KeyForm() {
    }

    /**
     * Reads the form.
     *
     * @throws IdentityException INVALID naming the field at fault
     */
    static KeySpec read(Map<String, String> form, KeyRole defaultRole, Inference inference) {
        try {
            String roleText = text(form, "role");
            KeyRole role = roleText == null ? defaultRole : KeyRole.parse(roleText);
            List<String> models = list(form, "models");
            for (String m : models) {
                if (inference.model(m).isEmpty()) {
                    throw new IllegalArgumentException("models: there is no model '" + m + "'");
                }
            }
            String name = text(form, "name");
            return new KeySpec(name == null ? "key" : name, role, expiry(form), models, money(form, "spend_limit_daily"),
                    money(form, "spend_limit_monthly"), integer(form, "rpm"), integer(form, "tpm"),
                    integer(form, "max_concurrent_streams"), list(form, "ip_allow"));
        } catch (IllegalArgumentException | ArithmeticException e) {
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(':');
            throw new IdentityException(IdentityException.Reason.INVALID, message,
                    colon > 0 ? message.substring(0, colon) : null);
        }
    }

    private static @Nullable String text(Map<String, String> form, String field) {
        String v = form.get(field);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static List<String> list(Map<String, String> form, String field) {
        String v = text(form, field);
        return v == null ? List.of() : Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    private static @Nullable Long expiry(Map<String, String> form) {
        String v = text(form, "expires");
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expires: a date such as 2030-12-31, was '" + v + "'");
        }
    }

    private static @Nullable Long money(Map<String, String> form, String field) {
        String v = text(form, field);
        if (v == null) {
            return null;
        }
        try {
            return Money.parse(v);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(field + ": an amount such as 25.00, was '" + v + "'");
        }
    }

    private static @Nullable Integer integer(Map<String, String> form, String field) {
        String v = text(form, field);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": a whole number, was '" + v + "'");
        }
    }
}
