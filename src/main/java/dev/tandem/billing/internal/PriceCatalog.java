package dev.tandem.billing.internal;

import dev.tandem.billing.BillingProperties;
import dev.tandem.billing.Money;
import dev.tandem.billing.Rates;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Each model's price and engine cost, from {@code tandem.billing.prices}. A model without one is free. */
@Component
class PriceCatalog {

    private record Entry(Rates price, Rates cost) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    PriceCatalog(BillingProperties properties) {
        for (BillingProperties.Price p : properties.pricesOrEmpty()) {
            long input = micros(p.input(), "input", p.model());
            long costInput = micros(p.costInput(), "cost-input", p.model());
            Rates price = new Rates(input, p.cachedInput() == null ? input : micros(p.cachedInput(), "cached-input",
                    p.model()), micros(p.output(), "output", p.model()));
            Rates cost = new Rates(costInput, p.costCachedInput() == null ? costInput
                    : micros(p.costCachedInput(), "cost-cached-input", p.model()),
                    micros(p.costOutput(), "cost-output", p.model()));
            entries.put(p.model(), new Entry(price, cost));
        }
    }

    private static long micros(@Nullable String value, String field, String model) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Money.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("price " + field + " of model " + model + ": " + e.getMessage());
        }
    }

    Rates price(String model) {
        Entry e = entries.get(model);
        return e == null ? Rates.FREE : e.price();
    }

    Rates cost(String model) {
        Entry e = entries.get(model);
        return e == null ? Rates.FREE : e.cost();
    }

    boolean priced(String model) {
        return entries.containsKey(model);
    }
}
