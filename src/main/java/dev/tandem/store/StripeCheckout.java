package dev.tandem.store;

import dev.tandem.store.internal.StoreHttp;
import dev.tandem.store.internal.WireObject;
import dev.tandem.store.stripe.StripeEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Starts Stripe Checkout: creates a Checkout Session ({@code POST /v1/checkout/sessions}) whose page the buyer
 * opens. The session carries who buys what ({@code client_reference_id} and metadata, also on the subscription
 * for memberships), which is what {@link StripeWebhooks} reads back when the payment completes. Requests carry
 * an {@code Idempotency-Key}: a retry with the same key returns the same session instead of a second one.
 *
 * <p>Thread-safe. Errors: {@link StoreException} with {@code MISCONFIGURED} when Stripe refuses the request or
 * the key (4xx), {@code UPSTREAM} when Stripe fails or limits us (429, 5xx, no answer).
 */
public final class StripeCheckout {

    /** Production Stripe API. */
    public static final URI PRODUCTION_API = URI.create("https://api.stripe.com");

    /**
     * @param secretKey  the API secret key ({@code sk_live_...}, {@code sk_test_...}, or a restricted key)
     * @param apiBaseUrl {@link #PRODUCTION_API} except in tests
     * @param timeout    longest wait for Stripe's answer
     */
    public record Settings(String secretKey, URI apiBaseUrl, Duration timeout) {

        public Settings {
            if (secretKey == null || secretKey.isBlank()) {
                throw new IllegalArgumentException("Stripe secret key must not be blank");
            }
            Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Stripe timeout must be positive, was " + timeout);
            }
        }

        @Override
        public String toString() {
            return "Settings[" + apiBaseUrl + ", " + timeout + "]";
        }
    }

    /**
     * What to sell to whom.
     *
     * @param idempotencyKey one per purchase attempt (for example the id of our pending order), at most 255 chars
     * @param personId       our buyer, returned as the events' {@code accountToken}
     * @param productId      our product (the gem pack or membership), returned as the events' {@code productId}
     * @param priceId        Stripe's price ({@code price_...}) to charge
     * @param kind           {@code CONSUMABLE}: a one-time payment; {@code SUBSCRIPTION}: a recurring one
     * @param quantity       how many; 1 for a subscription
     * @param successUrl     where Stripe sends the buyer after paying; text, not a {@link URI}, because it may hold
     *                       Stripe's {@code {CHECKOUT_SESSION_ID}} placeholder
     * @param cancelUrl      where Stripe sends a buyer who gives up
     */
    public record SessionRequest(String idempotencyKey, String personId, String productId, String priceId,
            ProductKind kind, int quantity, String successUrl, String cancelUrl) {

        public SessionRequest {
            if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
                throw new IllegalArgumentException("idempotency key must have 1 to 255 characters");
            }
            for (String[] field : new String[][] {{"personId", personId}, {"productId", productId},
                    {"priceId", priceId}}) {
                if (field[1] == null || field[1].isBlank()) {
                    throw new IllegalArgumentException(field[0] + " must not be blank");
                }
            }
            Objects.requireNonNull(kind, "kind");
            for (String[] url : new String[][] {{"successUrl", successUrl}, {"cancelUrl", cancelUrl}}) {
                if (url[1] == null || !(url[1].startsWith("https://") || url[1].startsWith("http://"))) {
                    throw new IllegalArgumentException(url[0] + " must be an http(s) URL, was " + url[1]);
                }
            }
            int most = kind == ProductKind.SUBSCRIPTION ? 1 : 99;
            if (quantity < 1 || quantity > most) {
                throw new IllegalArgumentException("quantity must be between 1 and " + most + " for a " + kind
                        + ", was " + quantity);
            }
        }
    }

    /** A created session: send the buyer to {@code url}. */
    public record Session(String id, URI url) {
    }

    private final Settings settings;
    private final HttpClient http;

    public StripeCheckout(Settings settings, HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
    }

    public Session createSession(SessionRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        boolean subscription = request.kind() == ProductKind.SUBSCRIPTION;
        form.put("mode", subscription ? "subscription" : "payment");
        form.put("line_items[0][price]", request.priceId());
        form.put("line_items[0][quantity]", String.valueOf(request.quantity()));
        form.put("success_url", request.successUrl());
        form.put("cancel_url", request.cancelUrl());
        form.put("client_reference_id", request.personId());
        form.put("metadata[" + StripeEvents.PERSON + "]", request.personId());
        form.put("metadata[" + StripeEvents.PRODUCT + "]", request.productId());
        form.put("metadata[" + StripeEvents.QUANTITY + "]", String.valueOf(request.quantity()));
        if (subscription) {
            // copied to the subscription and so to every invoice: renewals name our product and buyer
            form.put("subscription_data[metadata][" + StripeEvents.PERSON + "]", request.personId());
            form.put("subscription_data[metadata][" + StripeEvents.PRODUCT + "]", request.productId());
        }
        String base = settings.apiBaseUrl().toString().replaceAll("/+$", "");
        HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/v1/checkout/sessions"))
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + settings.secretKey())
                .header("Idempotency-Key", request.idempotencyKey())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(StoreHttp.form(form))).build();
        HttpResponse<byte[]> response = StoreHttp.send(Store.STRIPE, http, post, "Stripe checkout session");
        int status = response.statusCode();
        if (status == 200) {
            WireObject session = WireObject.parse(Store.STRIPE, "Stripe checkout session", response.body());
            return new Session(session.text("id"), URI.create(session.text("url")));
        }
        String detail = "creating a checkout session: Stripe answered " + status + " " + errorMessage(response);
        throw new StoreException(Store.STRIPE, status == 429 || status >= 500 ? StoreException.Reason.UPSTREAM
                : StoreException.Reason.MISCONFIGURED, detail);
    }

    private static String errorMessage(HttpResponse<byte[]> response) {
        try {
            WireObject error = WireObject.parse(Store.STRIPE, "Stripe error", response.body()).object("error");
            String message = error.optText("message");
            return message == null ? StoreHttp.excerpt(response.body()) : message;
        } catch (StoreException e) {
            return StoreHttp.excerpt(response.body());
        }
    }
}
