/**
 * The store's HTTP endpoints under {@code /store}: for the native app (purchase intents, App Store transactions,
 * Google Play purchase tokens; signed-in, JSON, CSRF token in the {@code x-csrf-token} header) and for the stores
 * themselves (App Store Server Notifications, Google Play RTDN push, Stripe webhooks). Errors are JSON
 * {@code {"error": {"reason", "message"}}} with the status of the refusal's reason.
 */
@NullMarked
package dev.tandem.web.store;

import org.jspecify.annotations.NullMarked;
