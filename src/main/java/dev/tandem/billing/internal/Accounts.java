package dev.tandem.billing.internal;

/** The ledger's account ids. */
final class Accounts {

    static final String CURRENCY = "USD";
    /** Where spent credits go. */
    static final String REVENUE = "platform:revenue";
    /** Where granted credits come from. */
    static final String GRANTS = "platform:grants";
    /** Where credits bought with redemption codes come from. */
    static final String REDEMPTIONS = "platform:redemptions";

    /**
     * The ledger transaction kinds that add credits to an organization (statements list them as top-ups). Every
     * other kind either moves credits within the organization (leases) or spends them ({@code settle}); a new way
     * of adding credits (payments) adds its kind here.
     */
    static final java.util.List<String> TOP_UP_KINDS = java.util.List.of("grant", "redeem");

    private Accounts() {
    }

    /** An organization's spendable credits. */
    static String credits(String organizationId) {
        return "org:" + organizationId + ":credits";
    }

    /** Credits an organization has on hold in leases. */
    static String held(String organizationId) {
        return "org:" + organizationId + ":held";
    }
}
