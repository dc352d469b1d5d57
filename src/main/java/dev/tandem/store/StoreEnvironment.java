package dev.tandem.store;

import java.util.Locale;

/**
 * Whether money moved: {@link #PRODUCTION} purchases are real, {@link #SANDBOX} ones are tests (Apple's sandbox,
 * Google Play license testers, Stripe test mode). Each verifier is told which environments it accepts.
 */
public enum StoreEnvironment {
    SANDBOX,
    PRODUCTION;

    /**
     * Reads {@code sandbox} or {@code production}, in any case.
     *
     * @throws IllegalArgumentException for anything else, naming what is allowed
     */
    public static StoreEnvironment parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "sandbox" -> SANDBOX;
            case "production" -> PRODUCTION;
            default -> throw new IllegalArgumentException(
                    "store environment must be 'sandbox' or 'production', was '" + value + "'");
        };
    }
}
