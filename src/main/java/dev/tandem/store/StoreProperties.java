package dev.tandem.store;

import java.net.URI;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the store module ({@code tandem.store.*}); every store is off until enabled. Defaults are the
 * {@link DefaultValue}s below: production only, Apple's and Google's and Stripe's production endpoints, 10 s
 * timeouts, 7 days' notification age, Stripe's 300 s signature tolerance. An enabled store must have its
 * required settings; the message names the missing property. {@code toString()} never shows a secret.
 *
 * <p>Each enabled store's verifier is a bean built from these; a disabled store's endpoints answer that it is not
 * available. Product ids must be unique, and so must each store's product ids.
 *
 * @param apple      App Store ({@link AppleVerifier})
 * @param googlePlay Google Play ({@link GooglePlayVerifier})
 * @param stripe     Stripe ({@link StripeWebhooks}, {@link StripeCheckout})
 * @param products   the catalog: gem packs and memberships ({@link Product})
 * @param limits     the currency spending limits are kept in, and how other currencies convert to it
 * @param minors     spending caps by age
 */
@ConfigurationProperties("tandem.store")
public record StoreProperties(@DefaultValue Apple apple, @DefaultValue GooglePlay googlePlay,
        @DefaultValue Stripe stripe, @DefaultValue List<Product> products, @DefaultValue Limits limits,
        @DefaultValue Minors minors) {

    public StoreProperties {
        products = List.copyOf(products);
        Set<String> ids = new HashSet<>();
        Set<String> storeIds = new HashSet<>();
        for (Product p : products) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("tandem.store.products: product id '" + p.id() + "' appears twice");
            }
            for (Store store : Store.values()) {
                if (p.soldAt(store) && !storeIds.add(store + ":" + p.storeProductId(store))) {
                    throw new IllegalArgumentException("tandem.store.products: " + store.label() + " product id '"
                            + p.storeProductId(store) + "' names two products");
                }
            }
        }
    }

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
     * @param siteUrl       this site's public address, where Checkout sends the buyer back
     *                      ({@code https://tandem.example}); blank: the address the buyer's request came to
     */
    public record Stripe(boolean enabled, @DefaultValue("") String secretKey, @DefaultValue("") String webhookSecret,
            @DefaultValue("https://api.stripe.com") URI apiBaseUrl,
            @DefaultValue("production") Set<StoreEnvironment> environments,
            @DefaultValue("300s") Duration tolerance, @DefaultValue("10s") Duration timeout,
            @DefaultValue("") String siteUrl) {

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
                    + ", environments=" + environments + ", tolerance=" + tolerance + ", timeout=" + timeout
                    + ", siteUrl=" + siteUrl + "]";
        }
    }

    /**
     * The currency every spending limit (minors' caps, a person's own cap) is kept and compared in.
     *
     * @param currency      ISO 4217 code; CNY by default, the currency of China's rules for minors
     * @param exchangeRates how many units of {@code currency} one unit of another currency counts as
     *                      ({@code USD: 7.3}); a product priced in a currency without a rate cannot be checked against
     *                      a limit, so it is refused to anyone who has one
     */
    public record Limits(@DefaultValue("CNY") String currency, @DefaultValue Map<String, BigDecimal> exchangeRates) {

        public Limits {
            try {
                currency = Currency.getInstance(currency.strip()).getCurrencyCode();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tandem.store.limits.currency must be an ISO 4217 code, was '"
                        + currency + "'");
            }
            Map<String, BigDecimal> rates = new TreeMap<>();
            exchangeRates.forEach((code, rate) -> {
                if (rate == null || rate.signum() <= 0) {
                    throw new IllegalArgumentException("tandem.store.limits.exchange-rates." + code
                            + " must be a positive number, was " + rate);
                }
                rates.put(code.strip().toUpperCase(java.util.Locale.ROOT), rate);
            });
            exchangeRates = Map.copyOf(rates);
        }
    }

    /**
     * Spending caps by age, from the birth date each person declared. By default China's rules for minors (NPPA
     * notice 2019-34): under 8 no purchases; 8 to 15 at most ¥50 a purchase and ¥200 a month; 16 and 17 at most
     * ¥100 and ¥400. Amounts are minor units of {@link Limits#currency()}.
     *
     * @param enabled whether age caps apply at all
     * @param rules   the caps, each for ages below its {@code under}; absent: China's
     */
    public record Minors(@DefaultValue("true") boolean enabled, @Nullable List<AgeRule> rules) {

        /** China's rules, in fen. */
        public static final List<AgeRule> CHINA = List.of(new AgeRule(8, 0, 0), new AgeRule(16, 5_000, 20_000),
                new AgeRule(18, 10_000, 40_000));

        public Minors {
            List<AgeRule> sorted = new java.util.ArrayList<>(rules == null || rules.isEmpty() ? CHINA : rules);
            sorted.sort(Comparator.comparingInt(AgeRule::under));
            for (int i = 1; i < sorted.size(); i++) {
                if (sorted.get(i).under() == sorted.get(i - 1).under()) {
                    throw new IllegalArgumentException("tandem.store.minors.rules: two rules for ages under "
                            + sorted.get(i).under());
                }
            }
            rules = List.copyOf(sorted);
        }

        /** The rule for someone {@code age} years old: the first whose {@code under} is above it. */
        public Optional<AgeRule> ruleFor(int age) {
            if (!enabled) {
                return Optional.empty();
            }
            return rules.stream().filter(r -> age < r.under()).findFirst();
        }

        /** A cap for ages below {@code under}: at most {@code perPurchase} a purchase and {@code perMonth} a month. */
        public record AgeRule(int under, long perPurchase, long perMonth) {
            public AgeRule {
                if (under < 1 || under > 150 || perPurchase < 0 || perMonth < 0) {
                    throw new IllegalArgumentException("tandem.store.minors.rules: under must be 1 to 150 and the "
                            + "caps at least 0, was under " + under + ", per-purchase " + perPurchase
                            + ", per-month " + perMonth);
                }
            }
        }
    }

    private static void require(boolean present, String property) {
        if (!present) {
            throw new IllegalArgumentException(property + " must be set when the store is enabled");
        }
    }
}
