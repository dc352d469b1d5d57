package dev.tandem.identity;

import java.util.Locale;

/** What an API key may do beyond calling models. */
public enum KeyRole {
    /** Calls models, reads its organization's usage. */
    DEVELOPER,
    /** Also manages its organization: keys, members, settings. An admin key of the owner organization manages the platform. */
    ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyRole parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "developer" -> DEVELOPER;
            case "admin" -> ADMIN;
            default -> throw new IllegalArgumentException("role must be developer or admin, was '" + value + "'");
        };
    }
}
