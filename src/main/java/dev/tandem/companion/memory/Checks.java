package dev.tandem.companion.memory;

import java.util.Objects;

/** Argument checks whose messages name the field and the rule. */
final class Checks {

    private Checks() {
    }

    static void id(String field, String value) {
        text(field, value, ChatMemory.MAX_ID);
    }

    static void text(String field, String value, int max) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters, was "
                    + value.length());
        }
    }
}
