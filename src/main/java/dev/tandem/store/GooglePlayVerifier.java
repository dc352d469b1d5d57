package dev.tandem.store;

import dev.tandem.store.google.AccessTokens;
import dev.tandem.store.google.AndroidPublisher;
import dev.tandem.store.google.GoogleEvents;
import dev.tandem.store.google.PlayNotifications;
import dev.tandem.store.google.ServiceAccount;
import dev.tandem.store.internal.WireObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies Google Play purchases by asking Google: the app sends a purchase token, this reads the purchase from
 * the Android Publisher API ({@code purchases.products.get}, {@code purchases.subscriptionsv2.get}) with a
 * service account's OAuth token (JWT bearer grant, cached until shortly before it expires).
 *
 * <p>Real-time developer notifications arrive as Pub/Sub pushes. This class does not check Google's OIDC token
 * on the push; instead the push endpoint's URL must carry a long random secret (for example
 * {@code /store/google/rtdn?secret=...}, configured in the Pub/Sub subscription), which
 * {@link #verifyNotification(String, String)} compares in constant time. The push only names a purchase token:
 * its state is always fetched again from the API. Purchases of an environment not accepted are refused by the
 * {@code verify} methods but dropped silently from notifications, so that Pub/Sub does not redeliver them.
 *
 * <p>Thread-safe. Every method throws {@link StoreException}; {@link StoreException#retryable()} says whether to
 * try again.
 */
public final class GooglePlayVerifier {

    /** Production Android Publisher API. */
    public static final URI PRODUCTION_API = URI.create("https://androidpublisher.googleapis.com");

    /**
     * How to reach Google and what to accept.
     *
     * @param packageName        the app's package name ({@code dev.tandem.app})
     * @param serviceAccountJson the service account key file's content (JSON with client_email, private_key,
     *                           token_uri); the account needs "View financial data" and "Manage orders" in Play
     *                           Console
     * @param apiBaseUrl         {@link #PRODUCTION_API} except in tests
     * @param environments       accepted environments; license testers' purchases are {@code SANDBOX}
     * @param pushSecret         the secret the push URL carries; at least 32 characters
     * @param timeout            longest wait for one call to Google
     */
    public record Settings(String packageName, String serviceAccountJson, URI apiBaseUrl,
            Set<StoreEnvironment> environments, String pushSecret, Duration timeout) {

        public Settings {
            if (packageName == null || packageName.isBlank()) {
                throw new IllegalArgumentException("Google Play package name must not be blank");
            }
            Objects.requireNonNull(serviceAccountJson, "serviceAccountJson");
            Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
            if (environments.isEmpty()) {
                throw new IllegalArgumentException("Google Play environments must name at least one of sandbox, "
                        + "production");
            }
            if (pushSecret == null || pushSecret.length() < 32) {
                throw new IllegalArgumentException("Google Play push secret must be at least 32 characters, was "
                        + (pushSecret == null ? 0 : pushSecret.length()));
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Google Play timeout must be positive, was " + timeout);
            }
            environments = Set.copyOf(environments);
        }

        @Override
        public String toString() {
            return "Settings[" + packageName + ", " + apiBaseUrl + ", " + environments + ", " + timeout + "]";
        }
    }

    /**
     * A one-time product purchase.
     *
     * @param acknowledged whether the purchase was acknowledged (consuming acknowledges too)
     * @param consumed     whether it was consumed already: a credit was probably given for it before; the ledger's
     *                     key on {@code transactionId} decides
     */
    public record ProductPurchase(StoreEvent.Purchased purchase, boolean acknowledged, boolean consumed) {
    }

    private final Settings settings;
    private final Clock clock;
    private final AndroidPublisher publisher;
    private final PlayNotifications notifications;

    /** @throws IllegalArgumentException when the service account file is unusable, naming the field */
    public GooglePlayVerifier(Settings settings, Clock clock, HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        ServiceAccount account = ServiceAccount.parse(settings.serviceAccountJson());
        AccessTokens tokens = new AccessTokens(account, http, clock, settings.timeout());
        this.publisher = new AndroidPublisher(settings.apiBaseUrl(), settings.packageName(), tokens, http,
                settings.timeout());
        this.notifications = new PlayNotifications(settings.packageName(), publisher,
                settings.environments()::contains);
    }

    /**
     * Reads a one-time product purchase (a gem pack) from Google.
     *
     * @throws StoreException {@code NOT_PURCHASED} when canceled or unknown, {@code PENDING} while not paid,
     *                        {@code WRONG_ENVIRONMENT} for a test purchase where only production is accepted
     */
    public ProductPurchase verifyProduct(String productId, String purchaseToken) {
        WireObject purchase = publisher.product(productId, purchaseToken);
        StoreEvent.Purchased purchased = GoogleEvents.product(purchase, productId, purchaseToken);
        checkEnvironment(purchased.environment());
        Long ack = purchase.optNumber("acknowledgementState");
        Long consumption = purchase.optNumber("consumptionState");
        return new ProductPurchase(purchased, ack != null && ack == 1, consumption != null && consumption == 1);
    }

    /**
     * Reads a subscription (a membership) and says what its current state means: {@link StoreEvent.Purchased}
     * while paid (also when canceled but inside the paid period), {@link StoreEvent.GracePeriod},
     * {@link StoreEvent.OnHold} (on hold or paused) or {@link StoreEvent.Expired}.
     */
    public StoreEvent verifySubscription(String purchaseToken) {
        GoogleEvents.Subscription subscription = GoogleEvents.subscription(publisher.subscription(purchaseToken),
                purchaseToken);
        checkEnvironment(subscription.environment());
        return GoogleEvents.current(subscription, clock.instant());
    }

    /** Consumes a credited pack, so the buyer can buy it again. */
    public void consumeProduct(String productId, String purchaseToken) {
        publisher.consume(productId, purchaseToken);
    }

    /** Acknowledges a subscription purchase; Google refunds those not acknowledged within three days. */
    public void acknowledgeSubscription(String productId, String purchaseToken) {
        publisher.acknowledgeSubscription(productId, purchaseToken);
    }

    /**
     * Handles one Pub/Sub push of a real-time developer notification.
     *
     * @param pushBody        the request body
     * @param presentedSecret the secret from the push URL, {@code null} when absent
     * @return the notification, its Pub/Sub {@code messageId} as id (the same for every redelivery)
     * @throws StoreException {@code BAD_SIGNATURE} when the secret does not match, {@code WRONG_APP} for another
     *                        package, {@code MALFORMED} for a body not shaped as documented
     */
    public StoreNotification verifyNotification(String pushBody, @Nullable String presentedSecret) {
        if (presentedSecret == null || !constantTimeEquals(presentedSecret, settings.pushSecret())) {
            throw new StoreException(Store.GOOGLE_PLAY, StoreException.Reason.BAD_SIGNATURE,
                    "push secret is missing or does not match");
        }
        return notifications.handle(pushBody);
    }

    private void checkEnvironment(StoreEnvironment environment) {
        if (!settings.environments().contains(environment)) {
            throw new StoreException(Store.GOOGLE_PLAY, StoreException.Reason.WRONG_ENVIRONMENT, environment
                    + " purchase is not accepted here (accepted: " + settings.environments() + ")");
        }
    }

    /** Compares digests, so that neither content nor length leaks through timing. */
    private static boolean constantTimeEquals(String a, String b) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] left = sha.digest(a.getBytes(StandardCharsets.UTF_8));
            byte[] right = sha.digest(b.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(left, right);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
