package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

    static Map<String, String> pack(String... extra) {
        Map<String, String> values = new HashMap<>(Map.of("tandem.store.products[0].id", "gems-300",
                "tandem.store.products[0].kind", "consumable", "tandem.store.products[0].name", "300 gems",
                "tandem.store.products[0].gems", "300", "tandem.store.products[0].price", "3000",
                "tandem.store.products[0].currency", "CNY", "tandem.store.products[0].apple-product-id",
                "dev.tandem.gems.300"));
        for (int i = 0; i < extra.length; i += 2) {
            values.put(extra[i], extra[i + 1]);
        }
        return values;
    }

    @Test
    void bindsTheCatalogLimitsAndChinasRulesForMinorsByDefault() {
        StoreProperties properties = bind(pack("tandem.store.limits.exchange-rates.usd", "7.3"));

        assertThat(properties.products()).singleElement().satisfies(p -> {
            assertThat(p.amount()).isEqualTo(new Amount(3000, "CNY"));
            assertThat(p.soldAt(Store.APPLE)).isTrue();
            assertThat(p.soldAt(Store.STRIPE)).isFalse();
        });
        assertThat(properties.limits().currency()).isEqualTo("CNY");
        assertThat(properties.limits().exchangeRates()).containsEntry("USD", new BigDecimal("7.3"));
        assertThat(properties.minors().rules()).isEqualTo(StoreProperties.Minors.CHINA);
        assertThat(properties.minors().ruleFor(7)).contains(new StoreProperties.Minors.AgeRule(8, 0, 0));
        assertThat(properties.minors().ruleFor(15)).contains(new StoreProperties.Minors.AgeRule(16, 5000, 20000));
        assertThat(properties.minors().ruleFor(17)).contains(new StoreProperties.Minors.AgeRule(18, 10000, 40000));
        assertThat(properties.minors().ruleFor(18)).isEmpty();
    }

    static Stream<Arguments> badCatalogs() {
        String p = "tandem.store.products[0].";
        return Stream.of(
                Arguments.of(pack(p + "id", "gems 300"), "tandem.store.products id must have 1 to 100 letters"),
                Arguments.of(pack(p + "price", "0"), "product gems-300: price must be at least 1 minor unit, was 0"),
                Arguments.of(pack(p + "currency", "YUAN"), "product gems-300: currency must be an ISO 4217 code"),
                Arguments.of(pack(p + "gems", "0"), "product gems-300: a gem pack must grant at least 1 gem, was 0"),
                Arguments.of(pack(p + "kind", "subscription", p + "gems", "0"),
                        "product gems-300: a subscription needs its plan (perks)"),
                Arguments.of(pack("tandem.store.products[1].id", "gems-300b", "tandem.store.products[1].kind",
                        "consumable", "tandem.store.products[1].name", "again", "tandem.store.products[1].gems", "1",
                        "tandem.store.products[1].price", "1", "tandem.store.products[1].currency", "CNY",
                        "tandem.store.products[1].apple-product-id", "dev.tandem.gems.300"),
                        "Apple product id 'dev.tandem.gems.300' names two products"),
                Arguments.of(pack("tandem.store.limits.exchange-rates.USD", "-1"),
                        "tandem.store.limits.exchange-rates.USD must be a positive number"),
                Arguments.of(pack("tandem.store.minors.rules[0].under", "8", "tandem.store.minors.rules[0].per-purchase",
                        "-5", "tandem.store.minors.rules[0].per-month", "0"), "the caps at least 0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badCatalogs")
    void aBadCatalogOrLimitStopsTheStartNamingWhatIsWrong(Map<String, String> values, String message) {
        assertThatThrownBy(() -> bind(values)).rootCause().hasMessageContaining(message);
    }

    @Test
    void amountsAreWrittenAsPeopleWriteThem() {
        assertThat(new Amount(20000, "CNY").format()).isEqualTo("¥200");
        assertThat(new Amount(650, "CNY").format()).isEqualTo("¥6.50");
        assertThat(new Amount(499, "USD").format()).isEqualTo("$4.99");
        assertThat(new Amount(500, "JPY").format()).isEqualTo("¥500");
        assertThat(new Amount(-12000, "CNY").format()).isEqualTo("-¥120");
    }
}
