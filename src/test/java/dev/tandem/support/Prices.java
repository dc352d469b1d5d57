package dev.tandem.support;

import java.util.Map;

/** Test settings for {@code tandem.billing.prices}: decimal currency units per million tokens. */
public final class Prices {

    private Prices() {
    }

    /** Puts entry {@code i} of the configured price list: {@code model} at these prices and engine cost. */
    public static void put(Map<String, String> settings, int i, String model, String input, String output,
            String costInput) {
        String p = "tandem.billing.prices[" + i + "].";
        settings.put(p + "model", model);
        settings.put(p + "input", input);
        settings.put(p + "output", output);
        if (costInput != null) {
            settings.put(p + "cost-input", costInput);
        }
    }
}
