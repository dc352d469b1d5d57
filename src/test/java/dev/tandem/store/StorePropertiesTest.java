package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** tandem.store.* bound as Spring Boot binds it at start-up. */
class StorePropertiesTest {

    static StoreProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tandem.store",
                StoreProperties.class);
    }

    @Test
    void nothingConfiguredMeansEveryStoreOffWithProductionDefaults() {
        StoreProperties properties = bind(Map.of());

        assertThat(properties.apple().enabled()).isFalse();
        assertThat(properties.apple().environments()).containsExactly(StoreEnvironment.PRODUCTION);
        assertThat(properties.apple().maxNotificationAge()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.googlePlay().apiBaseUrl()).isEqualTo(GooglePlayVerifier.PRODUCTION_API);
        assertThat(properties.googlePlay().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.stripe().apiBaseUrl()).isEqualTo(StripeCheckout.PRODUCTION_API);
        assertThat(properties.stripe().tolerance()).isEqualTo(StripeWebhooks.Settings.DEFAULT_TOLERANCE);
    }

    @Test
    void bindsEachStoresSettings() {
        StoreProperties properties = bind(Map.of(
                "tandem.store.apple.enabled", "true",
                "tandem.store.apple.bundle-id", "dev.tandem.app",
                "tandem.store.apple.root-certificate", "/etc/tandem/AppleRootCA-G3.cer",
                "tandem.store.apple.environments", "production,sandbox",
                "tandem.store.stripe.enabled", "true",
                "tandem.store.stripe.secret-key", "sk_live_123",
                "tandem.store.stripe.webhook-secret", "whsec_456",
                "tandem.store.stripe.api-base-url", "http://127.0.0.1:12111"));

        assertThat(properties.apple().rootCertificate()).isEqualTo(Path.of("/etc/tandem/AppleRootCA-G3.cer"));
        assertThat(properties.apple().environments()).isEqualTo(Set.of(StoreEnvironment.PRODUCTION,
                StoreEnvironment.SANDBOX));
        assertThat(properties.stripe().apiBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:12111"));
        assertThat(properties.toString()).doesNotContain("sk_live_123").doesNotContain("whsec_456");
    }

    @Test
    void anEnabledStoreNamesTheSettingItLacks() {
        assertThatThrownBy(() -> bind(Map.of("tandem.store.google-play.enabled", "true",
                "tandem.store.google-play.package-name", "dev.tandem.app",
                "tandem.store.google-play.service-account-file", "/etc/tandem/play.json")))
                .rootCause().hasMessage("tandem.store.google-play.push-secret (32 characters or more) must be set "
                        + "when the store is enabled");
    }
}
