/**
 * Store purchases, verified: what the App Store, Google Play and Stripe send (signed transactions, server
 * notifications, webhooks) turned into typed {@link dev.tandem.store.StoreEvent}s that someone may trust.
 *
 * <p>Verification and translation, in the verifiers below, keep no state. On top of them the module sells:
 * {@link dev.tandem.store.Catalog} (gem packs and memberships, {@code tandem.store.products}),
 * {@link dev.tandem.store.Purchases} (a purchase intent before paying, App Store and Google Play submissions, Stripe
 * Checkout), {@link dev.tandem.store.StoreInbox} (the stores' notifications and webhooks),
 * {@link dev.tandem.store.Memberships} (states driven by notifications; perks for the companion app through
 * {@link dev.tandem.companion.MembershipPerks}; daily gems) and {@link dev.tandem.store.SpendingLimits} (caps by age
 * and one's own monthly cap). Each payment credits paid gems ({@link dev.tandem.billing.Gems}) once, keyed by the
 * store's transaction id ({@code purchase:{store}:{transactionId}}); a delivery is processed once, keyed by its
 * {@link dev.tandem.store.StoreNotification#notificationId()}; refusals are audited in {@code store_audit}.
 *
 * <ul>
 *   <li>{@link dev.tandem.store.AppleVerifier}: JWS (ES256, x5c chain to a configured root) transactions and
 *       App Store Server Notifications V2.</li>
 *   <li>{@link dev.tandem.store.GooglePlayVerifier}: purchases and subscriptions read from the Android Publisher
 *       API with a service account; real-time developer notifications (Pub/Sub push) behind a secret.</li>
 *   <li>{@link dev.tandem.store.StripeWebhooks} ({@code Stripe-Signature}) and
 *       {@link dev.tandem.store.StripeCheckout} (Checkout Sessions).</li>
 * </ul>
 *
 * <p>Every failure is a {@link dev.tandem.store.StoreException} whose reason says whether to retry.
 * Settings: {@link dev.tandem.store.StoreProperties} ({@code tandem.store.*}).
 */
@NullMarked
package dev.tandem.store;

import org.jspecify.annotations.NullMarked;
