package dev.tandem.billing;

/**
 * The one accounting path of every model call, whatever its endpoint or dialect: admit (check and hold credits),
 * then settle (charge what was produced, record the usage, give back the rest). Thread-safe.
 *
 * <p>{@link #settle} returns only once the usage record and the ledger entries are committed: callers complete
 * their response after it, so no answer goes out unrecorded. Settlement is idempotent on the request id.
 */
public interface Billing {

    /**
     * Lets a call in, holding the most it can cost.
     *
     * @throws BillingException INSUFFICIENT_BALANCE when prepaid credits cannot cover it
     */
    Admission admit(CallRequest call);

    /**
     * Charges what the call used (nothing when it failed), records its usage, releases the rest of the hold.
     *
     * @throws BillingException UNAVAILABLE when it could not be recorded
     */
    Settlement settle(Admission admission, Metered metered);

    /** The organization's credit balance in micro-units (what it can spend; holds excluded). */
    long balance(String organizationId);

    /** Credits the organization has on hold in this and other nodes' leases, in micro-units. */
    long held(String organizationId);

    BillingProfile profile(String organizationId);

    /** Replaces how an organization is billed; applies on this node at once, on others within seconds. */
    BillingProfile updateProfile(BillingProfile profile);

    /**
     * Adds credits to an organization (an admin grant). Idempotent on {@code idempotencyKey}.
     *
     * @return the balance after the grant
     * @throws BillingException INVALID for a non-positive amount
     */
    long grant(String organizationId, long amount, String idempotencyKey, String memo);
}
