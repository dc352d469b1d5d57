package dev.tandem.billing;

import java.util.Objects;

/**
 * A model's entry in the price catalog.
 *
 * @param model     the public model id
 * @param price     what organizations pay (before their price multiplier)
 * @param cost      what Tandem pays for the model's engine (upstream prices; for local engines the machine cost
 *                  per hour is added on top, spread over measured throughput)
 * @param updatedAt epoch ms of the last change
 */
public record ModelPrice(String model, UnitPrices price, UnitPrices cost, long updatedAt) {
    public ModelPrice {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(cost, "cost");
        if (model.isBlank() || model.length() > 200) {
            throw new IllegalArgumentException("a model id has 1 to 200 characters, was '" + model + "'");
        }
    }
}
