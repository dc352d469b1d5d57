package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.store.StoreException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real-time developer notifications as Pub/Sub pushes them, with the purchase read back from the fake API. */
class GooglePlayNotificationsTest extends GooglePlayFixture {

    static final String SUB = "membership_monthly";
    static final Instant EVENT = NOW.minusSeconds(5);
    static final Instant EXPIRY = NOW.plus(Duration.ofDays(30));

    /** A Pub/Sub push request body around a DeveloperNotification. */
    static String push(String notificationField, String notification) {
        return push("""
                {"version":"1.0","packageName":"%s","eventTimeMillis":"%d",%s}"""
                .formatted(FakeGooglePlay.PACKAGE, EVENT.toEpochMilli(),
                        "\"" + notificationField + "\":" + notification));
    }

    static String push(String developerNotification) {
        String data = Base64.getEncoder().encodeToString(developerNotification.getBytes(StandardCharsets.UTF_8));
        return """
                {"message":{"attributes":{},"data":"%s","messageId":"136969346945","message_id":"136969346945",
                 "publishTime":"2025-06-01T11:59:55.749Z","publish_time":"2025-06-01T11:59:55.749Z"},
                 "subscription":"projects/tandem-test/subscriptions/play-rtdn"}""".formatted(data);
    }

    static String subscriptionNotice(int type) {
        return """
                {"version":"1.0","notificationType":%d,"purchaseToken":"%s","subscriptionId":"%s"}"""
                .formatted(type, TOKEN, SUB);
    }

    /** SubscriptionPurchaseV2 as documented for purchases.subscriptionsv2.get. */
    static String subscription(String state, String orderId) {
        return """
                {"kind":"androidpublisher#subscriptionPurchaseV2","regionCode":"US",
                 "startTime":"2025-05-01T12:00:00.000Z","subscriptionState":"%s","latestOrderId":"%s",
                 "acknowledgementState":"ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED",
                 "externalAccountIdentifiers":{"obfuscatedExternalAccountId":"person-42"},
                 "lineItems":[{"productId":"%s","expiryTime":"%s","autoRenewingPlan":{"autoRenewEnabled":true},
                   "offerDetails":{"basePlanId":"monthly"},"latestSuccessfulOrderId":"%s"}]}"""
                .formatted(state, orderId, SUB, EXPIRY, orderId);
    }

    @Test
    void voidedPurchaseRevokesTheOrder() {
        StoreNotification notification = verifier.verifyNotification(push("voidedPurchaseNotification", """
                {"purchaseToken":"%s","orderId":"GPA.3345-6789-0123-45678","productType":2,"refundType":1}"""
                .formatted(TOKEN)), SECRET);

        assertThat(notification.notificationId()).isEqualTo("136969346945");
        assertThat(notification.type()).isEqualTo("VOIDED_PURCHASE");
        assertThat(notification.events()).containsExactly(new StoreEvent.Revoked(Store.GOOGLE_PLAY,
                "GPA.3345-6789-0123-45678", TOKEN, null, EVENT, StoreEvent.Revoked.Reason.REFUND, false,
                StoreEnvironment.PRODUCTION));
        assertThat(play.calls).isEmpty();
    }

    @Test
    void renewalIsReadBackFromTheApiNotTakenFromThePush() {
        play.purchases.put("subscriptionsv2/" + TOKEN, subscription("SUBSCRIPTION_STATE_ACTIVE",
                "GPA.1111-2222-3333-44444..1"));

        StoreNotification notification = verifier.verifyNotification(push("subscriptionNotification",
                subscriptionNotice(2)), SECRET);

        assertThat(notification.type()).isEqualTo("SUBSCRIPTION_RENEWED");
        assertThat(notification.events()).containsExactly(new StoreEvent.Renewed(Store.GOOGLE_PLAY,
                "GPA.1111-2222-3333-44444..1", TOKEN, SUB, EVENT, EXPIRY, StoreEnvironment.PRODUCTION));
        assertThat(play.calls).containsExactly("GET /androidpublisher/v3/applications/" + FakeGooglePlay.PACKAGE
                + "/purchases/subscriptionsv2/tokens/" + TOKEN);
    }

    static Stream<Arguments> subscriptionStates() {
        StoreEnvironment prod = StoreEnvironment.PRODUCTION;
        String order = "GPA.1111-2222-3333-44444";
        return Stream.of(
                Arguments.of(4, "SUBSCRIPTION_STATE_ACTIVE", new StoreEvent.Purchased(Store.GOOGLE_PLAY, order, TOKEN,
                        SUB, 1, Instant.parse("2025-05-01T12:00:00Z"), prod, "person-42", ProductKind.SUBSCRIPTION,
                        EXPIRY)),
                Arguments.of(6, "SUBSCRIPTION_STATE_IN_GRACE_PERIOD", new StoreEvent.GracePeriod(Store.GOOGLE_PLAY,
                        TOKEN, SUB, EXPIRY, prod)),
                Arguments.of(5, "SUBSCRIPTION_STATE_ON_HOLD", new StoreEvent.OnHold(Store.GOOGLE_PLAY, TOKEN, SUB,
                        prod)),
                Arguments.of(3, "SUBSCRIPTION_STATE_CANCELED", new StoreEvent.RenewalChanged(Store.GOOGLE_PLAY,
                        TOKEN, SUB, false, EXPIRY, prod)),
                Arguments.of(13, "SUBSCRIPTION_STATE_EXPIRED", new StoreEvent.Expired(Store.GOOGLE_PLAY, TOKEN, SUB,
                        EXPIRY, prod)),
                Arguments.of(12, "SUBSCRIPTION_STATE_EXPIRED", new StoreEvent.Revoked(Store.GOOGLE_PLAY, order,
                        TOKEN, SUB, EVENT, StoreEvent.Revoked.Reason.ACCESS_REVOKED, false, prod)),
                // the push says renewed, Google says the payment failed since: the API wins
                Arguments.of(2, "SUBSCRIPTION_STATE_IN_GRACE_PERIOD", new StoreEvent.GracePeriod(Store.GOOGLE_PLAY,
                        TOKEN, SUB, EXPIRY, prod)));
    }

    @ParameterizedTest(name = "type {0}, API state {1}")
    @MethodSource("subscriptionStates")
    void subscriptionNotificationsFollowTheFetchedState(int type, String state, StoreEvent expected) {
        play.purchases.put("subscriptionsv2/" + TOKEN, subscription(state, "GPA.1111-2222-3333-44444"));

        StoreNotification notification = verifier.verifyNotification(push("subscriptionNotification",
                subscriptionNotice(type)), SECRET);

        assertThat(notification.events()).containsExactly(expected);
    }

    @Test
    void oneTimePurchaseNoticeIsReadBack() {
        play.purchases.put("products/" + PRODUCT + "/" + TOKEN, productPurchase(0, null));

        StoreNotification notification = verifier.verifyNotification(push("oneTimeProductNotification", """
                {"version":"1.0","notificationType":1,"purchaseToken":"%s","sku":"%s"}""".formatted(TOKEN, PRODUCT)),
                SECRET);

        assertThat(notification.type()).isEqualTo("ONE_TIME_PRODUCT_PURCHASED");
        assertThat(notification.events()).singleElement().isInstanceOfSatisfying(StoreEvent.Purchased.class,
                p -> assertThat(p.transactionId()).isEqualTo("GPA.3345-6789-0123-45678"));
    }

    @Test
    void pendingPurchaseNoticeCreditsNothingYet() {
        play.purchases.put("products/" + PRODUCT + "/" + TOKEN, productPurchase(2, null));

        StoreNotification notification = verifier.verifyNotification(push("oneTimeProductNotification", """
                {"version":"1.0","notificationType":1,"purchaseToken":"%s","sku":"%s"}""".formatted(TOKEN, PRODUCT)),
                SECRET);

        assertThat(notification.events()).isEmpty();
    }

    @Test
    void testNotificationAsksForNothing() {
        StoreNotification notification = verifier.verifyNotification(push("testNotification",
                "{\"version\":\"1.0\"}"), SECRET);

        assertThat(notification.type()).isEqualTo("TEST");
        assertThat(notification.events()).isEmpty();
    }

    static Stream<Arguments> pushRejections() {
        String voided = push("voidedPurchaseNotification", "{\"purchaseToken\":\"t\",\"orderId\":\"GPA.1\"}");
        return Stream.of(
                Arguments.of("no secret", voided, null, Reason.BAD_SIGNATURE, "push secret"),
                Arguments.of("wrong secret", voided, SECRET + "x", Reason.BAD_SIGNATURE, "push secret"),
                Arguments.of("another package", push("""
                        {"version":"1.0","packageName":"com.evil.app","eventTimeMillis":"1","testNotification":{}}"""),
                        SECRET, Reason.WRONG_APP, "com.evil.app"),
                Arguments.of("data not base64", voided.replaceFirst("\"data\":\"", "\"data\":\"%%%"), SECRET,
                        Reason.MALFORMED, "not base64"),
                Arguments.of("no message", "{\"subscription\":\"x\"}", SECRET, Reason.MALFORMED, "'message'"),
                Arguments.of("unknown notification", push("""
                        {"version":"1.0","packageName":"dev.tandem.app","eventTimeMillis":"1","x":{}}"""), SECRET,
                        Reason.MALFORMED, "holds none of"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pushRejections")
    void rejectsPushes(String name, String body, String secret, Reason expected, String why) {
        assertThatThrownBy(() -> verifier.verifyNotification(body, secret)).isInstanceOfSatisfying(
                StoreException.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected);
                    assertThat(e.getMessage()).contains(why);
                });
        assertThat(play.calls).isEmpty();
    }

    @Test
    void settingsRefuseAShortPushSecret() {
        assertThatThrownBy(() -> new GooglePlayVerifier.Settings(FakeGooglePlay.PACKAGE, "{}", play.base(),
                Set.of(StoreEnvironment.PRODUCTION), "short", Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 characters, was 5");
    }
}
