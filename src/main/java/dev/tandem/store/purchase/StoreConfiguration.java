package dev.tandem.store.purchase;

import dev.tandem.store.AppleVerifier;
import dev.tandem.store.GooglePlayVerifier;
import dev.tandem.store.StoreProperties;
import dev.tandem.store.StripeCheckout;
import dev.tandem.store.StripeWebhooks;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The verifiers of the stores that are enabled ({@code tandem.store.<store>.enabled=true}), built from
 * {@link StoreProperties}; a disabled store has no bean, and its endpoints answer that it is not configured. A
 * file named in the settings that cannot be read stops the start with a message naming the setting.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StoreConfiguration.class);

    @Bean
    @ConditionalOnProperty(prefix = "tandem.store.apple", name = "enabled", havingValue = "true")
    AppleVerifier appleVerifier(StoreProperties properties, Clock clock) {
        StoreProperties.Apple apple = properties.apple();
        Path root = Objects.requireNonNull(apple.rootCertificate(), "tandem.store.apple.root-certificate");
        AppleVerifier verifier = new AppleVerifier(new AppleVerifier.Settings(apple.bundleId(), apple.environments(),
                List.of(AppleVerifier.readCertificate(root)), apple.maxNotificationAge()), clock);
        log.info("store: App Store purchases accepted for {} ({}), root certificate {}", apple.bundleId(),
                apple.environments(), root);
        return verifier;
    }

    @Bean
    @ConditionalOnProperty(prefix = "tandem.store.google-play", name = "enabled", havingValue = "true")
    GooglePlayVerifier googlePlayVerifier(StoreProperties properties, Clock clock) {
        StoreProperties.GooglePlay play = properties.googlePlay();
        Path file = Objects.requireNonNull(play.serviceAccountFile(), "tandem.store.google-play.service-account-file");
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("tandem.store.google-play.service-account-file: cannot read " + file
                    + ": " + e.getMessage(), e);
        }
        GooglePlayVerifier verifier = new GooglePlayVerifier(new GooglePlayVerifier.Settings(play.packageName(), json,
                play.apiBaseUrl(), play.environments(), play.pushSecret(), play.timeout()), clock, client(play.timeout()));
        log.info("store: Google Play purchases accepted for {} ({}) through {}", play.packageName(),
                play.environments(), play.apiBaseUrl());
        return verifier;
    }

    @Bean
    @ConditionalOnProperty(prefix = "tandem.store.stripe", name = "enabled", havingValue = "true")
    StripeWebhooks stripeWebhooks(StoreProperties properties, Clock clock) {
        StoreProperties.Stripe stripe = properties.stripe();
        log.info("store: Stripe webhooks accepted ({}), Checkout through {}", stripe.environments(),
                stripe.apiBaseUrl());
        return new StripeWebhooks(new StripeWebhooks.Settings(stripe.webhookSecret(), stripe.tolerance(),
                stripe.environments()), clock);
    }

    @Bean
    @ConditionalOnProperty(prefix = "tandem.store.stripe", name = "enabled", havingValue = "true")
    StripeCheckout stripeCheckout(StoreProperties properties) {
        StoreProperties.Stripe stripe = properties.stripe();
        return new StripeCheckout(new StripeCheckout.Settings(stripe.secretKey(), stripe.apiBaseUrl(),
                stripe.timeout()), client(stripe.timeout()));
    }

    private static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder().connectTimeout(timeout).build();
    }
}
