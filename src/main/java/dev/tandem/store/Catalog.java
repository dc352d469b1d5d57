package dev.tandem.store;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The products the shop sells ({@code tandem.store.products}), in configured order. Immutable after start;
 * thread-safe.
 */
@Component
public class Catalog {

    private final List<Product> products;

    Catalog(StoreProperties properties) {
        this.products = properties.products();
    }

    public List<Product> products() {
        return products;
    }

    /** Gem packs, in configured order. */
    public List<Product> packs() {
        return products.stream().filter(p -> p.kind() == ProductKind.CONSUMABLE).toList();
    }

    /** Memberships, in configured order. */
    public List<Product> plans() {
        return products.stream().filter(p -> p.kind() == ProductKind.SUBSCRIPTION).toList();
    }

    public Optional<Product> find(String id) {
        return products.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The product of our id; {@link PurchaseException} UNKNOWN_PRODUCT, naming it, when there is none. */
    public Product require(String id) {
        return find(id).orElseThrow(() -> new PurchaseException(PurchaseException.Reason.UNKNOWN_PRODUCT, null,
                "There is no product '" + id + "' in the shop."));
    }

    /**
     * The product a store's event names: for Apple and Google their own product id, for Stripe ours (Checkout
     * carries it in the session's metadata; a price id names no product of ours uniquely enough).
     */
    public Optional<Product> fromStore(Store store, String storeProductId) {
        if (store == Store.STRIPE) {
            return find(storeProductId);
        }
        return products.stream().filter(p -> p.soldAt(store) && p.storeProductId(store).equals(storeProductId))
                .findFirst();
    }
}
