package dev.tandem.store.google;

import static dev.tandem.store.internal.StoreHttp.segment;

import dev.tandem.store.Store;
import dev.tandem.store.StoreException;
import dev.tandem.store.StoreException.Reason;
import dev.tandem.store.internal.StoreHttp;
import dev.tandem.store.internal.WireObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The few Android Publisher API v3 calls a purchase needs, authorized by {@link AccessTokens}. Google's answers
 * are translated here, in one place: 401 is retried once with a fresh token, then like 403 a
 * {@link Reason#MISCONFIGURED}; 400, 404 and 410 (unknown, malformed or expired token) are
 * {@link Reason#NOT_PURCHASED}; 429 and 5xx are {@link Reason#UPSTREAM}. Thread-safe.
 */
public final class AndroidPublisher {

    private final URI base;
    private final String packageName;
    private final AccessTokens tokens;
    private final HttpClient http;
    private final Duration timeout;

    public AndroidPublisher(URI base, String packageName, AccessTokens tokens, HttpClient http, Duration timeout) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.packageName = packageName;
        this.tokens = tokens;
        this.http = http;
        this.timeout = timeout;
    }

    /** {@code purchases.products.get}: a one-time product purchase (ProductPurchase). */
    public WireObject product(String productId, String purchaseToken) {
        return call("GET", "purchases/products/" + segment(productId) + "/tokens/" + segment(purchaseToken),
                "Google product purchase");
    }

    /** {@code purchases.subscriptionsv2.get}: a subscription purchase (SubscriptionPurchaseV2). */
    public WireObject subscription(String purchaseToken) {
        return call("GET", "purchases/subscriptionsv2/tokens/" + segment(purchaseToken),
                "Google subscription purchase");
    }

    /** {@code purchases.products.consume}: the pack was credited; it may be bought again. */
    public void consume(String productId, String purchaseToken) {
        call("POST", "purchases/products/" + segment(productId) + "/tokens/" + segment(purchaseToken) + ":consume",
                "Google consume");
    }

    /** {@code purchases.subscriptions.acknowledge}: without it Google refunds the subscription after 3 days. */
    public void acknowledgeSubscription(String subscriptionId, String purchaseToken) {
        call("POST", "purchases/subscriptions/" + segment(subscriptionId) + "/tokens/" + segment(purchaseToken)
                + ":acknowledge", "Google subscription acknowledge");
    }

    private WireObject call(String method, String path, String what) {
        URI uri = URI.create(base + "/androidpublisher/v3/applications/" + segment(packageName) + "/" + path);
        HttpResponse<byte[]> response = send(method, uri, what);
        if (response.statusCode() == 401) {
            tokens.invalidate();
            response = send(method, uri, what);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            byte[] body = response.body();
            return WireObject.parse(Store.GOOGLE_PLAY, what, body.length == 0 ? "{}".getBytes() : body);
        }
        String detail = what + " for package " + packageName + ": Google answered " + status + " "
                + StoreHttp.excerpt(response.body());
        Reason reason = switch (status) {
            case 400, 404, 410 -> Reason.NOT_PURCHASED;
            case 401, 403 -> Reason.MISCONFIGURED;
            default -> Reason.UPSTREAM;
        };
        throw new StoreException(Store.GOOGLE_PLAY, reason, detail);
    }

    private HttpResponse<byte[]> send(String method, URI uri, String what) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + tokens.token()).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return StoreHttp.send(Store.GOOGLE_PLAY, http, request, what);
    }
}
