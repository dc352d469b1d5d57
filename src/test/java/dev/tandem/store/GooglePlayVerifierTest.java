package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.store.StoreException.Reason;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GooglePlayVerifier against a local token endpoint and Android Publisher API ({@link FakeGooglePlay}). */
class GooglePlayVerifierTest extends GooglePlayFixture {

    @Test
    void verifiesAPaidPackWithAServiceAccountToken() {
        play.purchases.put("products/" + PRODUCT + "/" + TOKEN, productPurchase(0, null));

        GooglePlayVerifier.ProductPurchase result = verifier.verifyProduct(PRODUCT, TOKEN);

        assertThat(result.purchase()).isEqualTo(new StoreEvent.Purchased(Store.GOOGLE_PLAY,
                "GPA.3345-6789-0123-45678", TOKEN, PRODUCT, 3, NOW.minusSeconds(120), StoreEnvironment.PRODUCTION,
                "person-42", ProductKind.CONSUMABLE, null));
        assertThat(result.acknowledged()).isTrue();
        assertThat(result.consumed()).isFalse();
        assertThat(play.tokensIssued).hasValue(1);
        assertThat(play.rejectedAssertions).isEmpty();
    }

    @Test
    void reusesTheAccessTokenUntilItIsAboutToExpire() {
        play.purchases.put("products/" + PRODUCT + "/" + TOKEN, productPurchase(0, null));

        verifier.verifyProduct(PRODUCT, TOKEN);
        clock.advance(Duration.ofMinutes(50));
        verifier.verifyProduct(PRODUCT, TOKEN);
        assertThat(play.tokensIssued).hasValue(1);

        clock.advance(Duration.ofMinutes(9));
        verifier.verifyProduct(PRODUCT, TOKEN);
        assertThat(play.tokensIssued).hasValue(2);
    }

    @Test
    void anAccessTokenGoogleNoLongerAcceptsIsReplacedOnce() {
        play.purchases.put("products/" + PRODUCT + "/" + TOKEN, productPurchase(0, null));
        verifier.verifyProduct(PRODUCT, TOKEN);
        play.revokeAccessTokens();

        assertThat(verifier.verifyProduct(PRODUCT, TOKEN).purchase().productId()).isEqualTo(PRODUCT);
        assertThat(play.tokensIssued).hasValue(2);
    }

    @Test
    void concurrentCallsShareOneAccessToken() throws Exception {
        play.purchases.put("products/" + PRODUCT + "/" + TOKEN, productPurchase(0, null));

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<GooglePlayVerifier.ProductPurchase>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(threads.submit(() -> verifier.verifyProduct(PRODUCT, TOKEN)));
            }
            for (Future<GooglePlayVerifier.ProductPurchase> result : results) {
                assertThat(result.get().purchase().transactionId()).isEqualTo("GPA.3345-6789-0123-45678");
            }
        }
        assertThat(play.tokensIssued).hasValue(1);
    }

    @Test
    void aLicenseTestersPurchaseWithoutOrderIdIsKeyedByItsToken() {
        play.purchases.put("products/" + PRODUCT + "/" + TOKEN,
                productPurchase(0, 0).replace("\"orderId\":\"GPA.3345-6789-0123-45678\",", ""));
        GooglePlayVerifier sandbox = verifier(play.serviceKey, Set.of(StoreEnvironment.SANDBOX), play.base());

        assertThat(sandbox.verifyProduct(PRODUCT, TOKEN).purchase().transactionId()).isEqualTo(TOKEN);
    }

    @Test
    void acceptsALicenseTestersPurchaseOnlyWhereSandboxIsAccepted() {
        play.purchases.put("products/" + PRODUCT + "/" + TOKEN, productPurchase(0, 0));
        GooglePlayVerifier sandbox = verifier(play.serviceKey, Set.of(StoreEnvironment.SANDBOX), play.base());

        assertThat(sandbox.verifyProduct(PRODUCT, TOKEN).purchase().environment()).isEqualTo(StoreEnvironment.SANDBOX);
        assertThatThrownBy(() -> verifier.verifyProduct(PRODUCT, TOKEN)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_ENVIRONMENT));
    }

    static Stream<Arguments> productRejections() {
        return Stream.of(
                Arguments.of("canceled purchase", productPurchase(1, null), null, Reason.NOT_PURCHASED, false,
                        "canceled"),
                Arguments.of("pending purchase", productPurchase(2, null), null, Reason.PENDING, true, "pending"),
                Arguments.of("unknown token", null, null, Reason.NOT_PURCHASED, false, "404"),
                Arguments.of("Google unavailable", null, 503, Reason.UPSTREAM, true, "503"),
                Arguments.of("rate limited", null, 429, Reason.UPSTREAM, true, "429"),
                Arguments.of("purchase without orderId", productPurchase(0, null).replace("\"orderId\"", "\"x\""),
                        null, Reason.MALFORMED, false, "'orderId'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("productRejections")
    void rejectsProducts(String name, String resource, Integer status, Reason expected, boolean retryable,
            String why) {
        if (resource != null) {
            play.purchases.put("products/" + PRODUCT + "/" + TOKEN, resource);
        }
        if (status != null) {
            play.failures.put("products/" + PRODUCT + "/" + TOKEN, status);
        }

        assertThatThrownBy(() -> verifier.verifyProduct(PRODUCT, TOKEN)).isInstanceOfSatisfying(
                StoreException.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected);
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.getMessage()).startsWith("Google Play: ").contains(why);
                });
    }

    @Test
    void aServiceAccountKeyGoogleDoesNotKnowIsAConfigurationError() {
        GooglePlayVerifier wrongKey = verifier(FakeGooglePlay.rsa(), Set.of(StoreEnvironment.PRODUCTION),
                play.base());

        assertThatThrownBy(() -> wrongKey.verifyProduct(PRODUCT, TOKEN)).isInstanceOfSatisfying(
                StoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED);
                    assertThat(e.getMessage()).contains(FakeGooglePlay.EMAIL).contains("invalid_grant");
                });
        assertThat(play.rejectedAssertions).containsExactly("Invalid JWT Signature.");
        assertThat(play.calls).isEmpty();
    }

    @Test
    void aPackageTheAccountMayNotReadIsAConfigurationError() {
        GooglePlayVerifier otherApp = new GooglePlayVerifier(new GooglePlayVerifier.Settings("com.other.app",
                play.serviceAccountJson(play.serviceKey), play.base(), Set.of(StoreEnvironment.PRODUCTION), SECRET,
                Duration.ofSeconds(5)), clock, http);

        assertThatThrownBy(() -> otherApp.verifyProduct(PRODUCT, TOKEN)).isInstanceOfSatisfying(
                StoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED);
                    assertThat(e.getMessage()).contains("com.other.app").contains("403");
                });
    }

    @Test
    void consumesAndAcknowledgesAtTheDocumentedPaths() {
        verifier.consumeProduct(PRODUCT, TOKEN);
        verifier.acknowledgeSubscription("membership_monthly", TOKEN);

        String app = "/androidpublisher/v3/applications/" + FakeGooglePlay.PACKAGE + "/purchases/";
        assertThat(play.calls).containsExactly(
                "POST " + app + "products/" + PRODUCT + "/tokens/" + TOKEN + ":consume",
                "POST " + app + "subscriptions/membership_monthly/tokens/" + TOKEN + ":acknowledge");
    }

    @Test
    void unreachableGoogleIsRetryable() {
        GooglePlayVerifier down = verifier(play.serviceKey, Set.of(StoreEnvironment.PRODUCTION),
                URI.create("http://127.0.0.1:1"));

        assertThatThrownBy(() -> down.verifyProduct(PRODUCT, TOKEN)).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UPSTREAM);
                    assertThat(e.retryable()).isTrue();
                });
    }
}
