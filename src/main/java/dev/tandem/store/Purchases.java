package dev.tandem.store;

import dev.tandem.billing.Gems;
import dev.tandem.store.purchase.AccountRows;
import dev.tandem.store.purchase.Fulfilment;
import dev.tandem.store.purchase.PurchaseRows;
import dev.tandem.store.purchase.StoreRecords;
import dev.tandem.store.purchase.StoreRecords.Outcome;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Purchases a signed-in person makes: the check before paying ({@link #intent}: store configured, product sold
 * there, not in debt, within spending limits), the submission of what the store handed the app afterwards (an App
 * Store signed transaction, a Google Play purchase token), and Stripe Checkout for the web shop. Each payment is
 * credited once, keyed by the store's transaction id; a second submission of it is refused as a replay. Every
 * refusal is audited ({@code store_audit}) and logged. Thread-safe.
 *
 * @throws PurchaseException from every method, its reason deciding the HTTP status and its message written for
 *                           the buyer
 */
@Service
public class Purchases {

    private static final Logger log = LoggerFactory.getLogger(Purchases.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A purchase the person may start now.
     *
     * @param storeProductId what to ask the store for
     * @param accountToken   what the app attaches to the purchase (Apple {@code appAccountToken}, Google
     *                       {@code obfuscatedAccountId}), so that the store's notifications name the buyer
     */
    public record Intent(Product product, Store store, String storeProductId, String accountToken, Amount price) {
    }

    /** A credited submission, with the buyer's gems after it. */
    public record Credited(Purchase purchase, Gems.Balance balance) {
    }

    /** A Stripe Checkout Session to send the buyer to. */
    public record Checkout(String sessionId, URI url) {
    }

    private final Catalog catalog;
    private final SpendingLimits limits;
    private final Memberships memberships;
    private final Gems gems;
    private final Fulfilment fulfilment;
    private final PurchaseRows rows;
    private final AccountRows accounts;
    private final StoreRecords records;
    private final StoreProperties properties;
    private final ObjectProvider<AppleVerifier> apple;
    private final ObjectProvider<GooglePlayVerifier> google;
    private final ObjectProvider<StripeCheckout> stripe;

    Purchases(Catalog catalog, SpendingLimits limits, Memberships memberships, Gems gems, Fulfilment fulfilment,
            PurchaseRows rows, AccountRows accounts, StoreRecords records, StoreProperties properties,
            ObjectProvider<AppleVerifier> apple, ObjectProvider<GooglePlayVerifier> google,
            ObjectProvider<StripeCheckout> stripe) {
        this.catalog = catalog;
        this.limits = limits;
        this.memberships = memberships;
        this.gems = gems;
        this.fulfilment = fulfilment;
        this.rows = rows;
        this.accounts = accounts;
        this.records = records;
        this.properties = properties;
        this.apple = apple;
        this.google = google;
        this.stripe = stripe;
    }

    /** Whether {@code store} is configured here. */
    public boolean available(Store store) {
        return switch (store) {
            case APPLE -> apple.getIfAvailable() != null;
            case GOOGLE_PLAY -> google.getIfAvailable() != null;
            case STRIPE -> stripe.getIfAvailable() != null;
        };
    }

    /** Checks a purchase before money moves: the app calls this before it starts a store purchase. */
    public Intent intent(String personId, String productId, Store store) {
        if (!available(store)) {
            throw PurchaseException.notConfigured(store);
        }
        Product product = sold(productId, store);
        before(personId, product, store);
        return new Intent(product, store, product.storeProductId(store), accounts.token(personId), product.amount());
    }

    /** Starts Stripe Checkout for one unit of {@code productId}; {@code siteUrl} is used unless one is configured. */
    public Checkout checkout(String personId, String productId, String siteUrl) {
        StripeCheckout checkout = stripe.getIfAvailable();
        if (checkout == null) {
            throw PurchaseException.notConfigured(Store.STRIPE);
        }
        Product product = sold(productId, Store.STRIPE);
        before(personId, product, Store.STRIPE);
        String base = (properties.stripe().siteUrl().isBlank() ? siteUrl : properties.stripe().siteUrl())
                .replaceAll("/+$", "");
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String key = "chk_" + HexFormat.of().formatHex(random);
        try {
            StripeCheckout.Session session = checkout.createSession(new StripeCheckout.SessionRequest(key, personId,
                    product.id(), product.stripePriceId(), product.kind(), 1,
                    base + "/shop/done?session={CHECKOUT_SESSION_ID}", base + "/shop"));
            log.info("store: Stripe checkout {} of {} for {}", session.id(), product.id(), personId);
            return new Checkout(session.id(), session.url());
        } catch (StoreException e) {
            log.error("store: Stripe refused a checkout of {}: {}", product.id(), e.getMessage());
            throw new PurchaseException(PurchaseException.Reason.UPSTREAM, Store.STRIPE, "Web checkout is not "
                    + "available just now (" + e.getMessage() + "). Try again later.", e);
        }
    }

    /** Verifies and credits an App Store signed transaction the app received ({@code jwsRepresentation}). */
    public Credited submitApple(String personId, String signedTransaction) {
        AppleVerifier verifier = apple.getIfAvailable();
        if (verifier == null) {
            throw PurchaseException.notConfigured(Store.APPLE);
        }
        if (signedTransaction.isBlank()) {
            throw new PurchaseException(PurchaseException.Reason.INVALID, Store.APPLE,
                    "signed_transaction is required: the transaction's jwsRepresentation");
        }
        StoreEvent event = verified(Store.APPLE, personId, () -> verifier.verifyTransaction(signedTransaction));
        if (event instanceof StoreEvent.Revoked revoked) {
            fulfilment.apply(revoked, "app:" + personId);
            throw refused(Store.APPLE, Outcome.REFUSED, PurchaseException.Reason.NOT_PAID, personId,
                    revoked.transactionId(), "Apple refunded or revoked this purchase on " + revoked.revokedAt()
                            + "; nothing was credited.");
        }
        return credit(personId, (StoreEvent.Purchased) event);
    }

    /** Verifies a Google Play purchase through the Android Publisher API, credits it, then consumes or acknowledges. */
    public Credited submitGoogle(String personId, String productId, String purchaseToken) {
        GooglePlayVerifier verifier = google.getIfAvailable();
        if (verifier == null) {
            throw PurchaseException.notConfigured(Store.GOOGLE_PLAY);
        }
        if (productId.isBlank() || purchaseToken.isBlank()) {
            throw new PurchaseException(PurchaseException.Reason.INVALID, Store.GOOGLE_PLAY,
                    "product_id and purchase_token are both required");
        }
        Product product = catalog.fromStore(Store.GOOGLE_PLAY, productId).orElseThrow(() -> refused(Store.GOOGLE_PLAY,
                Outcome.REFUSED, PurchaseException.Reason.UNKNOWN_PRODUCT, personId, null,
                "Google Play product '" + productId + "' is not sold here."));
        if (product.kind() == ProductKind.CONSUMABLE) {
            GooglePlayVerifier.ProductPurchase purchase = verified(Store.GOOGLE_PLAY, personId,
                    () -> verifier.verifyProduct(productId, purchaseToken));
            // consumed only once credited (now or before): Google refunds what stays unacknowledged for 3 days
            Runnable consume = () -> {
                if (!purchase.consumed()) {
                    quietly("consuming " + productId, () -> verifier.consumeProduct(productId, purchaseToken));
                }
            };
            return creditThen(personId, purchase.purchase(), consume);
        }
        StoreEvent state = verified(Store.GOOGLE_PLAY, personId, () -> verifier.verifySubscription(purchaseToken));
        if (!(state instanceof StoreEvent.Purchased purchased)) {
            throw refused(Store.GOOGLE_PLAY, Outcome.REFUSED, PurchaseException.Reason.NOT_PAID, personId, null,
                    "This subscription is not paid now (" + state.getClass().getSimpleName() + "); nothing was "
                            + "credited.");
        }
        return creditThen(personId, purchased, () -> quietly("acknowledging " + productId,
                () -> verifier.acknowledgeSubscription(productId, purchaseToken)));
    }

    /** Credits, then runs {@code after} when the purchase is credited now or was credited before. */
    private Credited creditThen(String personId, StoreEvent.Purchased purchased, Runnable after) {
        Credited credited;
        try {
            credited = credit(personId, purchased);
        } catch (PurchaseException e) {
            if (e.reason() == PurchaseException.Reason.REPLAYED) {
                after.run();
            }
            throw e;
        }
        after.run();
        return credited;
    }

    /** The person's payments, newest first. */
    public List<Purchase> history(String personId, int limit) {
        return rows.byPerson(personId, limit).stream().map(this::view).toList();
    }

    /** Every payment of the person, newest first, without a limit (for their data export). */
    List<Purchase> all(String personId) {
        return rows.allByPerson(personId).stream().map(this::view).toList();
    }

    /** The token the app attaches to the person's store purchases. */
    public String accountToken(String personId) {
        return accounts.token(personId);
    }

    private Credited credit(String personId, StoreEvent.Purchased purchased) {
        Store store = purchased.store();
        Product product = catalog.fromStore(store, purchased.productId()).orElseThrow(() -> refused(store,
                Outcome.REFUSED, PurchaseException.Reason.UNKNOWN_PRODUCT, personId, purchased.transactionId(),
                store.label() + " product '" + purchased.productId() + "' is not sold here; nothing was credited."));
        if (product.kind() != purchased.kind()) {
            throw refused(store, Outcome.REFUSED, PurchaseException.Reason.UNTRUSTED, personId,
                    purchased.transactionId(), store.label() + " sold '" + purchased.productId() + "' as a "
                            + purchased.kind() + ", but it is a " + product.kind() + " here; nothing was credited.");
        }
        String token = purchased.accountToken();
        if (token != null && !token.equalsIgnoreCase(accounts.token(personId))) {
            throw refused(store, Outcome.REFUSED, PurchaseException.Reason.NOT_YOURS, personId,
                    purchased.transactionId(), "This purchase was made for another account; nothing was credited.");
        }
        Fulfilment.Result result = fulfilment.purchased(purchased, personId, product, null);
        if (result instanceof Fulfilment.Replayed replayed) {
            PurchaseRows.Row row = replayed.row();
            boolean gone = row.status() != PurchaseRows.Status.CREDITED;
            throw refused(store, Outcome.REPLAYED, gone ? PurchaseException.Reason.NOT_PAID
                    : PurchaseException.Reason.REPLAYED, personId, purchased.transactionId(), gone
                    ? "This purchase was refunded or revoked; nothing was credited."
                    : "This purchase was credited before, on " + Instant.ofEpochMilli(row.createdAt())
                            + "; nothing was credited now.");
        }
        return new Credited(view(result.row()), gems.balance(personId));
    }

    /** Debt, an existing membership and spending limits, before any money moves. */
    private void before(String personId, Product product, Store store) {
        if (gems.inDebt(personId)) {
            throw refused(store, Outcome.REFUSED, PurchaseException.Reason.IN_DEBT, personId, null, "A refund took back "
                    + "gems you had already spent, so your paid gems stand at " + gems.balance(personId).paid()
                    + ". Purchases are blocked while they are below zero; contact support to settle it.");
        }
        if (product.kind() == ProductKind.SUBSCRIPTION && memberships.list(personId).stream()
                .anyMatch(m -> m.perks() && m.productId().equals(product.id()))) {
            throw new PurchaseException(PurchaseException.Reason.ALREADY_MEMBER, store, "You have "
                    + product.name() + " already.");
        }
        SpendingLimits.Verdict verdict = limits.evaluate(personId, product, 1);
        if (!verdict.allowed()) {
            throw refused(store, Outcome.REFUSED, PurchaseException.Reason.OVER_LIMIT, personId, null,
                    verdict.message());
        }
    }

    private Product sold(String productId, Store store) {
        Product product = catalog.require(productId);
        if (!product.soldAt(store)) {
            throw new PurchaseException(PurchaseException.Reason.NOT_AVAILABLE, store, product.name()
                    + " is not sold through " + store.label() + ".");
        }
        return product;
    }

    /** Runs a verification; a refusal is audited and becomes a {@link PurchaseException}. */
    private <T> T verified(Store store, String personId, java.util.function.Supplier<T> verification) {
        try {
            return verification.get();
        } catch (StoreException e) {
            PurchaseException.Reason reason = switch (e.reason()) {
                case PENDING -> PurchaseException.Reason.PENDING;
                case UPSTREAM -> PurchaseException.Reason.UPSTREAM;
                case NOT_PURCHASED -> PurchaseException.Reason.NOT_PAID;
                case MISCONFIGURED -> PurchaseException.Reason.UPSTREAM;
                default -> PurchaseException.Reason.UNTRUSTED;
            };
            if (reason == PurchaseException.Reason.PENDING) {
                throw new PurchaseException(reason, store, "The payment is pending at " + store.label()
                        + "; submit it again once it completes.", e);
            }
            records.audit(store, Outcome.REFUSED, e.reason().name(), personId, null, null, e.getMessage());
            throw new PurchaseException(reason, store, "The purchase was refused: " + e.getMessage(), e);
        }
    }

    private PurchaseException refused(Store store, Outcome outcome, PurchaseException.Reason reason, String personId,
            @Nullable String transactionId, String message) {
        records.audit(store, outcome, reason.name(), personId, transactionId, null, message);
        return new PurchaseException(reason, store, message);
    }

    private static void quietly(String what, Runnable call) {
        try {
            call.run();
        } catch (StoreException e) {
            // credited already; the app's next submission or the store's notification tries again
            log.warn("store: {} failed: {}", what, e.getMessage());
        }
    }

    Purchase view(PurchaseRows.Row r) {
        String name = r.productId() == null ? "(unknown)" : catalog.find(r.productId()).map(Product::name)
                .orElse(r.productId());
        ProductKind kind = switch (r.kind()) {
            case PACK -> ProductKind.CONSUMABLE;
            case MEMBERSHIP -> ProductKind.SUBSCRIPTION;
            case UNKNOWN -> null;
        };
        return new Purchase(r.id(), r.store(), r.transactionId(), r.productId(), name, kind, r.quantity(), r.gems(),
                r.currency() == null ? null : new Amount(r.price(), r.currency()), r.environment(),
                Purchase.Status.valueOf(r.status().name().toUpperCase(Locale.ROOT)), r.overLimit(),
                Instant.ofEpochMilli(r.purchasedAt()), r.revokedAt() == null ? null : Instant.ofEpochMilli(r.revokedAt()),
                r.revokeReason());
    }
}
