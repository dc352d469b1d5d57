package dev.tandem.store.purchase;

import dev.tandem.identity.Ids;
import dev.tandem.billing.Gems;
import dev.tandem.companion.Accounts;
import dev.tandem.store.Catalog;
import dev.tandem.store.Product;
import dev.tandem.store.ProductKind;
import dev.tandem.store.SpendingLimits;
import dev.tandem.store.Store;
import dev.tandem.store.StoreEvent;
import dev.tandem.store.purchase.MembershipRows.State;
import dev.tandem.store.purchase.StoreRecords.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Acts on verified store events: credits a pack's paid gems once per store transaction (the row's unique key and
 * the gems' idempotency key {@code purchase:{store}:{transactionId}}), takes them back once on a refund,
 * chargeback or revocation (the purchase row moves from credited to revoked once; the gems' key is
 * {@code refund:{store}:{transactionId}:{revokedAt}}, so a refund after a reversal takes them back again), into debt
 * where they were spent, and moves
 * memberships through their states. A purchase over the buyer's limits or made while in debt is still credited
 * (the money has moved) and flagged in the audit. Every method joins the caller's transaction or runs in its own,
 * and writes before it reads what it decides on. Thread-safe.
 */
@Component
public class Fulfilment {

    /** A grace period a store gives no end for lasts this long past the paid period. */
    static final Duration DEFAULT_GRACE = Duration.ofDays(14);

    /** What became of a purchase. */
    public sealed interface Result {
        PurchaseRows.Row row();
    }

    /** Credited now; {@code gems} is null for a membership. */
    public record Credited(PurchaseRows.Row row, Gems.@Nullable Move gems) implements Result {
    }

    /** Its transaction was there before: nothing changed. */
    public record Replayed(PurchaseRows.Row row) implements Result {
    }

    private final TransactionTemplate tx;
    private final Gems gems;
    private final Catalog catalog;
    private final PurchaseRows purchases;
    private final MembershipRows memberships;
    private final AccountRows accounts;
    private final StoreRecords records;
    private final SpendingLimits limits;
    private final Accounts people;
    private final Clock clock;

    Fulfilment(TransactionTemplate tx, Gems gems, Catalog catalog, PurchaseRows purchases, MembershipRows memberships,
            AccountRows accounts, StoreRecords records, SpendingLimits limits, Accounts people, Clock clock) {
        this.tx = tx;
        this.gems = gems;
        this.catalog = catalog;
        this.purchases = purchases;
        this.memberships = memberships;
        this.accounts = accounts;
        this.records = records;
        this.limits = limits;
        this.people = people;
        this.clock = clock;
    }

    /** The gems' idempotency key of a store transaction's credit or take-back. */
    public static String key(String what, Store store, String transactionId) {
        return what + ":" + store.name().toLowerCase(Locale.ROOT) + ":" + transactionId;
    }

    /**
     * Credits a verified purchase of {@code product} to {@code personId}: a pack's gems, or a membership's first
     * period. Limits and debt are looked at again, and a purchase over them is credited and flagged.
     */
    public Result purchased(StoreEvent.Purchased e, String personId, Product product, @Nullable String delivery) {
        SpendingLimits.Verdict verdict = limits.evaluate(personId, product, e.quantity());
        boolean inDebt = gems.inDebt(personId);
        long now = clock.millis();
        boolean pack = product.kind() == ProductKind.CONSUMABLE;
        PurchaseRows.Row row = new PurchaseRows.Row(Ids.next("pur"), e.store(), e.transactionId(),
                e.originalTransactionId(), personId, product.id(), e.productId(),
                pack ? PurchaseRows.Kind.PACK : PurchaseRows.Kind.MEMBERSHIP, e.quantity(),
                pack ? Math.multiplyExact(product.gems(), e.quantity()) : 0,
                Math.multiplyExact(product.price(), e.quantity()), product.currency(), verdict.converted(),
                e.environment(), PurchaseRows.Status.CREDITED, !verdict.allowed(), e.purchasedAt().toEpochMilli(), now,
                null, null);
        return tx.execute(s -> {
            if (!purchases.insert(row)) {
                return new Replayed(purchases.find(e.store(), e.transactionId()).orElseThrow());
            }
            Gems.Move move = null;
            if (pack) {
                move = gems.credit(personId, Gems.Kind.PAID, row.gems(), "purchase",
                        key("purchase", e.store(), e.transactionId()), e.transactionId(),
                        product.name() + (e.quantity() > 1 ? " × " + e.quantity() : "") + " (" + e.store().label() + ")");
            } else {
                memberships.activate(e.store(), e.originalTransactionId(), personId, product.id(),
                        expiry(e.expiresAt(), e.purchasedAt()), e.environment(), now);
            }
            if (!verdict.allowed()) {
                records.audit(e.store(), Outcome.FLAGGED, "OVER_LIMIT", personId, e.transactionId(), delivery,
                        verdict.message() + " The payment had gone through when it was verified: credited and "
                                + "recorded.");
            }
            if (inDebt) {
                records.audit(e.store(), Outcome.FLAGGED, "IN_DEBT", personId, e.transactionId(), delivery,
                        "Paid while in debt (started before the refund): credited, it pays the debt down.");
            }
            return new Credited(row, move);
        });
    }

    /**
     * Acts on one event of a verified delivery, in the caller's transaction or its own.
     *
     * @return what became of a purchase, when the event was one and its buyer is known; null otherwise
     */
    public @Nullable Result apply(StoreEvent event, String delivery) {
        return tx.execute(s -> applyNow(event, delivery));
    }

    private @Nullable Result applyNow(StoreEvent event, String delivery) {
        long now = clock.millis();
        switch (event) {
            case StoreEvent.Purchased p -> {
                Optional<PurchaseRows.Row> known = purchases.find(p.store(), p.transactionId());
                if (known.isPresent()) {
                    return new Replayed(known.get()); // the app submitted it first: the usual order
                }
                Optional<Product> product = catalog.fromStore(p.store(), p.productId());
                String person = buyer(p);
                if (product.isEmpty() || person == null || product.get().kind() != p.kind()) {
                    records.audit(p.store(), Outcome.UNMATCHED, product.isEmpty() ? "UNKNOWN_PRODUCT"
                                    : person == null ? "UNKNOWN_BUYER" : "PRODUCT_KIND", person, p.transactionId(),
                            delivery, "a purchase of " + p.productId() + " that cannot be credited here (product "
                                    + product.map(Product::id).orElse("unknown") + ", buyer " + (person == null
                                    ? "unknown" : "known") + "); the app's own submission may still credit it");
                    return null;
                }
                return purchased(p, person, product.get(), delivery);
            }
            case StoreEvent.Renewed r -> renewed(r, delivery, now);
            case StoreEvent.RenewalChanged c -> membership(c.store(), c.originalTransactionId(), delivery)
                    .ifPresent(m -> memberships.autoRenew(c.store(), c.originalTransactionId(), c.autoRenew(),
                            millis(c.expiresAt()), now));
            case StoreEvent.GracePeriod g -> membership(g.store(), g.originalTransactionId(), delivery)
                    .ifPresent(m -> memberships.update(g.store(), g.originalTransactionId(), State.GRACE, null,
                            g.graceEndsAt() != null ? g.graceEndsAt().toEpochMilli()
                                    : (m.expiresAt() != null ? m.expiresAt() : now) + DEFAULT_GRACE.toMillis(), now));
            case StoreEvent.OnHold h -> membership(h.store(), h.originalTransactionId(), delivery)
                    .ifPresent(m -> memberships.update(h.store(), h.originalTransactionId(), State.ON_HOLD, null, null,
                            now));
            case StoreEvent.Expired x -> membership(x.store(), x.originalTransactionId(), delivery)
                    .ifPresent(m -> memberships.update(x.store(), x.originalTransactionId(), State.EXPIRED, null, null,
                            now));
            case StoreEvent.Revoked v -> revoked(v, delivery, now);
            case StoreEvent.Reinstated r -> reinstated(r, delivery, now);
            case StoreEvent.PaymentLinked l -> purchases.link(l.store(), l.paymentId(), l.transactionId(), now);
        }
        return null;
    }

    private void renewed(StoreEvent.Renewed r, String delivery, long now) {
        Optional<MembershipRows.Row> found = membership(r.store(), r.originalTransactionId(), delivery);
        if (found.isEmpty()) {
            return;
        }
        MembershipRows.Row m = found.get();
        Optional<Product> product = catalog.find(m.productId());
        SpendingLimits.Verdict verdict = product.map(p -> limits.evaluate(m.personId(), p, 1)).orElse(null);
        PurchaseRows.Row row = new PurchaseRows.Row(Ids.next("pur"), r.store(), r.transactionId(),
                r.originalTransactionId(), m.personId(), m.productId(), r.productId(), PurchaseRows.Kind.MEMBERSHIP, 1,
                0, product.map(Product::price).orElse(0L), product.map(Product::currency).orElse(limits.currency()),
                verdict == null ? null : verdict.converted(), r.environment(), PurchaseRows.Status.CREDITED,
                verdict != null && !verdict.allowed(), r.renewedAt().toEpochMilli(), now, null, null);
        if (!purchases.insert(row)) {
            return; // this period was recorded before
        }
        memberships.activate(r.store(), r.originalTransactionId(), m.personId(), m.productId(),
                expiry(r.expiresAt(), r.renewedAt()), r.environment(), now);
        if (verdict != null && !verdict.allowed()) {
            records.audit(r.store(), Outcome.FLAGGED, "OVER_LIMIT", m.personId(), r.transactionId(), delivery,
                    "Renewal over the limit: " + verdict.message() + " Recorded; the store had charged it.");
        }
    }

    private void revoked(StoreEvent.Revoked v, String delivery, long now) {
        String reason = v.reason().name();
        Optional<PurchaseRows.Row> found = purchases.findPaidBy(v.store(), v.transactionId());
        Optional<MembershipRows.Row> membership = memberships.find(v.store(), v.originalTransactionId());
        if (found.isEmpty()) {
            // never credited here: keep a void row so that a later submission of it credits nothing
            purchases.insert(new PurchaseRows.Row(Ids.next("pur"), v.store(), v.transactionId(),
                    v.originalTransactionId(), membership.map(MembershipRows.Row::personId).orElse(null),
                    membership.map(MembershipRows.Row::productId).orElse(null), v.productId(),
                    membership.isPresent() ? PurchaseRows.Kind.MEMBERSHIP : PurchaseRows.Kind.UNKNOWN, 0, 0, 0, null,
                    null, v.environment(), PurchaseRows.Status.VOID, false, v.revokedAt().toEpochMilli(), now,
                    v.revokedAt().toEpochMilli(), reason));
            membership.ifPresent(m -> memberships.update(v.store(), m.originalTransactionId(), State.REVOKED, null,
                    null, now));
            if (membership.isEmpty()) {
                records.audit(v.store(), Outcome.UNMATCHED, "REVOKED_UNKNOWN", null, v.transactionId(), delivery,
                        reason + " of a payment never credited here: recorded, so it can never be credited");
            }
            return;
        }
        PurchaseRows.Row row = found.get();
        if (row.status() != PurchaseRows.Status.CREDITED || row.personId() == null) {
            return; // revoked before, by another delivery: taken back once
        }
        if (row.kind() == PurchaseRows.Kind.PACK && v.partial()) {
            records.audit(v.store(), Outcome.FLAGGED, "PARTIAL_REFUND", row.personId(), v.transactionId(), delivery,
                    "partial " + reason + " of " + row.gems() + " gems: the store does not say how much; nothing "
                            + "taken back automatically, to be settled by hand");
            return;
        }
        if (!purchases.markRevoked(row.id(), v.revokedAt().toEpochMilli(), reason)) {
            return; // another delivery (a refund beside a dispute) revoked it just now: taken back once
        }
        if (row.kind() == PurchaseRows.Kind.PACK) {
            gems.takeBack(row.personId(), row.gems(), "refund", key("refund", v.store(), v.transactionId())
                            + ":" + v.revokedAt().toEpochMilli(),
                    v.transactionId(), reason.toLowerCase(Locale.ROOT) + " of " + row.gems() + " gems ("
                            + v.store().label() + ")");
        } else {
            memberships.update(v.store(), row.originalTransactionId(), State.REVOKED, null, null, now);
        }
    }

    /**
     * A refund or chargeback reversed: what it took is given back once — the gems (paying a debt down first, as any
     * paid gems do), or the membership for what is left of its paid period.
     */
    private void reinstated(StoreEvent.Reinstated r, String delivery, long now) {
        Optional<PurchaseRows.Row> found = purchases.findPaidBy(r.store(), r.transactionId());
        if (found.isEmpty() || found.get().personId() == null || found.get().status() == PurchaseRows.Status.VOID) {
            records.audit(r.store(), Outcome.UNMATCHED, "REINSTATED_UNKNOWN", null, r.transactionId(), delivery,
                    "a reversed refund of a payment never credited here: nothing to give back");
            return;
        }
        PurchaseRows.Row row = found.get();
        if (!purchases.markReinstated(row.id())) {
            return; // never taken back (a partial refund left to a person), or given back before
        }
        if (row.kind() == PurchaseRows.Kind.PACK) {
            gems.credit(row.personId(), Gems.Kind.PAID, row.gems(), "reinstated", key("reinstated", r.store(),
                    r.transactionId()) + ":" + r.reinstatedAt().toEpochMilli(), r.transactionId(), "refund reversed: "
                    + row.gems() + " gems back (" + r.store().label() + ")");
        } else {
            memberships.find(r.store(), row.originalTransactionId()).ifPresent(m -> memberships.update(r.store(),
                    m.originalTransactionId(), m.expiresAt() != null && m.expiresAt() > now ? State.ACTIVE
                            : State.EXPIRED, null, null, now));
        }
    }

    private Optional<MembershipRows.Row> membership(Store store, String originalTransactionId, String delivery) {
        Optional<MembershipRows.Row> m = memberships.find(store, originalTransactionId);
        if (m.isEmpty()) {
            records.audit(store, Outcome.UNMATCHED, "UNKNOWN_MEMBERSHIP", null, originalTransactionId, delivery,
                    "a membership event for a subscription never bought here");
        }
        return m;
    }

    /** The buyer a store's purchase names: our person id for Stripe, an account token for the app stores. */
    private @Nullable String buyer(StoreEvent.Purchased p) {
        String token = p.accountToken();
        if (token == null || token.isBlank()) {
            return null;
        }
        if (p.store() == Store.STRIPE) {
            return people.profile(token).isPresent() ? token : null;
        }
        return accounts.person(token).orElse(null);
    }

    /** The paid period's end; a store that does not say gets a month and a day from the payment. */
    private static long expiry(@Nullable Instant expiresAt, Instant paidAt) {
        if (expiresAt != null) {
            return expiresAt.toEpochMilli();
        }
        return paidAt.atZone(ZoneOffset.UTC).plusMonths(1).plusDays(1).toInstant().toEpochMilli();
    }

    private static @Nullable Long millis(@Nullable Instant at) {
        return at == null ? null : at.toEpochMilli();
    }
}
