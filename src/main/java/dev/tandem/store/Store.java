package dev.tandem.store;

/** The stores Tandem sells through. */
public enum Store {
    /** Apple's App Store (StoreKit 2). */
    APPLE("Apple"),
    /** Google Play Billing. */
    GOOGLE_PLAY("Google Play"),
    /** Stripe Checkout on the web. */
    STRIPE("Stripe");

    private final String label;

    Store(String label) {
        this.label = label;
    }

    /** The store's name as people write it, for messages. */
    public String label() {
        return label;
    }
}
