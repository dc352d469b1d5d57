/**
 * Store purchases, verified: what the App Store, Google Play and Stripe send (signed transactions, server
 * notifications, webhooks) turned into typed {@link dev.tandem.store.StoreEvent}s that someone may trust.
 *
 * <p>This module only verifies and translates; it keeps no state and writes nothing. Crediting gems or a
 * membership is the caller's work, keyed by the ids the events carry ({@code transactionId} for a purchase,
 * {@link dev.tandem.store.StoreNotification#notificationId()} for a delivery that may come twice).
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
