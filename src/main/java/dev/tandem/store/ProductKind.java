package dev.tandem.store;

/** What a product is: a pack used up once (gems) or a membership that renews until stopped. */
public enum ProductKind {
    /** Bought, credited once, gone: gem packs. */
    CONSUMABLE,
    /** An auto-renewing subscription: monthly memberships. */
    SUBSCRIPTION
}
