package dev.tandem.billing;

import java.util.List;
import java.util.Optional;

/**
 * The price catalog: one {@link ModelPrice} per model, kept in the database. {@code tandem.billing.prices} seeds
 * it on first start (models not in it yet); afterwards it is managed here. A change applies on this node at once
 * and on every other node within {@code tandem.billing.price-refresh}; calls already admitted keep the price they
 * were admitted at. A model without an entry is free. Thread-safe.
 */
public interface PriceList {

    /** Every entry, ordered by model id. */
    List<ModelPrice> list();

    Optional<ModelPrice> find(String model);

    /** Creates or replaces the entry of {@code price.model()}; returns it as stored. */
    ModelPrice put(String model, UnitPrices price, UnitPrices cost);

    /** Removes a model's entry (it becomes free); false when it had none. */
    boolean remove(String model);
}
