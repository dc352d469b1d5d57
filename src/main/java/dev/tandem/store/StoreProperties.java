package dev.tandem.store;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the store module ({@code tandem.store.*}); every store is off until enabled. Defaults are the
 * {@link DefaultValue}s below: production only, Apple's and Google's and Stripe's production endpoints, 10 s
 * timeouts, 7 days' notification age, Stripe's 300 s signature tolerance. An enabled store must have its
 * required settings; the message names the missing property. {@code toString()} never shows a secret.
 *
 * <p>Not wired to the verifiers yet: the module that credits purchases builds them from these.
 *
 * @param apple      App Store ({@link AppleVerifier})
 * @param googlePlay Google Play ({@link GooglePlayVerifier})
 * @param stripe     Stripe ({@link StripeWebhooks}, {@link StripeCheckout})
 */
@ConfigurationProperties("tandem.store")
public record StoreProperties(@DefaultValue Apple apple, @DefaultValue GooglePlay googlePlay,
        @DefaultValue Stripe stripe) {

    /**
     * @param enabled            whether App Store purchases are accepted
     * @param bundleId           the app's bundle id; required when enabled
     * @param rootCertificate    PEM or DER file of the trusted root (Apple Root CA - G3, {@code AppleRootCA-G3.cer}
     *                           from apple.com/certificateauthority); required when enabled
     * @param environments       accepted environments, comma-separated: {@code production}, {@code sandbox}
     * @param maxNotificationAge oldest notification accepted
     */
    public record Apple(boolean enabled, @DefaultValue("") String bundleId, @Nullable Path rootCertificate,
            @DefaultValue("production") Set<StoreEnvironment> environments,
            @DefaultValue("7d") Duration maxNotificationAge) {

        public Apple {
            if (enabled) {
                require(!bundleId.isBlank(), "tandem.store.apple.bundle-id");
                require(rootCertificate != null, "tandem.store.apple.root-certificate");
            }
        }
    }

    /**
     * @param enabled            whether Google Play purchases are accepted
     * @param packageName        the app's package name; required when enabled
     * @param serviceAccountFile the service account's JSON key file; required when enabled
     * @param apiBaseUrl         the Android Publisher API
     * @param environments       accepted environments ({@code sandbox}: license testers)
     * @param pushSecret         the secret the RTDN push URL carries, at least 32 characters; required when enabled
     * @param timeout            longest wait for one call to Google
     */
    public record GooglePlay(boolean enabled, @DefaultValue("") String packageName, @Nullable Path serviceAccountFile,
            @DefaultValue("https://androidpublisher.googleapis.com") URI apiBaseUrl,
            @DefaultValue("production") Set<StoreEnvironment> environments, @DefaultValue("") String pushSecret,
            @DefaultValue("10s") Duration timeout) {

        public GooglePlay {
            if (enabled) {
                require(!packageName.isBlank(), "tandem.store.google-play.package-name");
                require(serviceAccountFile != null, "tandem.store.google-play.service-account-file");
                require(pushSecret.length() >= 32, "tandem.store.google-play.push-secret (32 characters or more)");
            }
        }

        @Override
        public String toString() {
            return "GooglePlay[enabled=" + enabled + ", packageName=" + packageName + ", serviceAccountFile="
                    + serviceAccountFile + ", apiBaseUrl=" + apiBaseUrl + ", environments=" + environments
                    + ", pushSecret=" + (pushSecret.isEmpty() ? "" : "***") + ", timeout=" + timeout + "]";
        }
    }

    /**
     * @param enabled       whether Stripe purchases are accepted
     * @param secretKey     API secret key ({@code sk_...}); required when enabled
     * @param webhookSecret the webhook endpoint's signing secret ({@code whsec_...}); required when enabled
     * @param apiBaseUrl    the Stripe API
     * @param environments  accepted environments ({@code sandbox}: test mode)
     * @param tolerance     how far a webhook's signed timestamp may be from our clock
     * @param timeout       longest wait for one call to Stripe
     */
    public record Stripe(boolean enabled, @DefaultValue("") String secretKey, @DefaultValue("") String webhookSecret,
            @DefaultValue("https://api.stripe.com") URI apiBaseUrl,
            @DefaultValue("production") Set<StoreEnvironment> environments,
            @DefaultValue("300s") Duration tolerance, @DefaultValue("10s") Duration timeout) {

        public Stripe {
            if (enabled) {
                require(!secretKey.isBlank(), "tandem.store.stripe.secret-key");
                require(!webhookSecret.isBlank(), "tandem.store.stripe.webhook-secret");
            }
        }

        @Override
        public String toString() {
            return "Stripe[enabled=" + enabled + ", secretKey=" + (secretKey.isEmpty() ? "" : "***")
                    + ", webhookSecret=" + (webhookSecret.isEmpty() ? "" : "***") + ", apiBaseUrl=" + apiBaseUrl
                    + ", environments=" + environments + ", tolerance=" + tolerance + ", timeout=" + timeout + "]";
        }
    }

    private static void require(boolean present, String property) {
        if (!present) {
            throw new IllegalArgumentException(property + " must be set when the store is enabled");
        }
    }
}
