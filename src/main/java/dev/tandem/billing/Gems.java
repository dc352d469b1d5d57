package dev.tandem.billing;

import java.util.List;
import java.util.Optional;

/**
 * A person's gems: the companion app's currency, on the same double-entry ledger as API credits (currency
 * {@code GEM}), with paid gems (bought; refundable, and taken back by a refund) and free gems (earned or granted)
 * in two accounts. Every change is one ledger transaction with an idempotency key: the same key again changes
 * nothing and returns the first result. Spending takes free gems first, then paid ones, and never takes more than
 * there is. A refund may leave the paid balance negative: the person is then {@linkplain #inDebt in debt} and may
 * not buy or spend until it is paid back.
 *
 * <p>Every method joins the caller's database transaction when there is one, so that a draw can debit gems and
 * grant cards in one commit. Its first statement writes (the accounts' rows), which on SQLite takes the write lock
 * before anything is read. Thread-safe.
 *
 * @throws BillingException INSUFFICIENT_BALANCE when a spend needs more than the balance, or the person is in debt;
 *                          INVALID for a non-positive amount or a blank key
 */
public interface Gems {

    /** Which of a person's two gem accounts. */
    enum Kind {
        /** Bought with money. */
        PAID,
        /** Earned (check-ins, bond milestones, activity), granted, or a membership's stipend. */
        FREE
    }

    /** A person's gems. */
    record Balance(long paid, long free) {
        public long total() {
            return paid + free;
        }
    }

    /**
     * The result of a change.
     *
     * @param transactionId the ledger transaction (the first one, for a repeated key)
     * @param paid          paid gems moved (negative: taken)
     * @param free          free gems moved (negative: taken)
     * @param after         the balance after it
     * @param repeated      true when the key was used before and nothing changed now
     */
    record Move(String transactionId, long paid, long free, Balance after, boolean repeated) {
    }

    /**
     * One line of a person's history.
     *
     * @param kind      what moved them: {@code purchase}, {@code refund}, {@code draw}, {@code checkin}, …
     * @param reference what it was about (a store transaction, a draw), or null
     */
    record Entry(String transactionId, String kind, long paid, long free, String reference, String memo, long at) {
    }

    Balance balance(String personId);

    /** True while a refund has left the paid balance below zero. */
    default boolean inDebt(String personId) {
        return balance(personId).paid() < 0;
    }

    /**
     * Adds gems.
     *
     * @param kind what the transaction is ({@code purchase}, {@code checkin}, {@code grant}, …)
     */
    Move credit(String personId, Kind account, long amount, String kind, String idempotencyKey, String reference,
            String memo);

    /** Spends gems, free ones first. */
    Move spend(String personId, long amount, String kind, String idempotencyKey, String reference, String memo);

    /**
     * Takes back the paid gems of a purchase (a refund, chargeback or revocation), even into debt. The key is the
     * refund's own; one purchase refunded twice by two notifications is taken back once when both use the
     * purchase's key.
     */
    Move takeBack(String personId, long amount, String kind, String idempotencyKey, String reference, String memo);

    /** The ledger transaction recorded under {@code idempotencyKey}, if any. */
    Optional<Move> find(String personId, String idempotencyKey);

    /** The person's history, newest first. */
    List<Entry> history(String personId, int limit);

    /**
     * The person's history older than {@code before} (the last entry of the page before), newest first: pages
     * through all of it, {@code limit} (1 to 1,000) at a time.
     */
    List<Entry> historyBefore(String personId, Entry before, int limit);
}
