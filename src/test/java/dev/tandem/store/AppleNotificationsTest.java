package dev.tandem.store;

import static dev.tandem.store.AppleVerifierTest.APPLE;
import static dev.tandem.store.AppleVerifierTest.BUNDLE;
import static dev.tandem.store.AppleVerifierTest.NOW;
import static dev.tandem.store.AppleVerifierTest.OTHER;
import static dev.tandem.store.AppleVerifierTest.VERIFIER;
import static dev.tandem.store.AppleVerifierTest.consumable;
import static dev.tandem.store.AppleVerifierTest.json;
import static dev.tandem.store.AppleVerifierTest.subscription;
import static dev.tandem.store.AppleVerifierTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.store.StoreException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** App Store Server Notifications V2 ({@code {"signedPayload": ...}}) with nested signed transaction and renewal. */
class AppleNotificationsTest {

    static final String UUID = "002e14d5-51f5-4503-b5a8-c3a1af68eb20";
    static final Instant GRACE_ENDS = NOW.plus(Duration.ofDays(16));

    /** responseBodyV2DecodedPayload as Apple documents it; transaction and renewal signed by {@code chain}. */
    static Map<String, Object> payload(String type, String subtype, Map<String, Object> tx,
            Map<String, Object> renewal) {
        return payload(UUID, NOW.minusSeconds(10), type, subtype, tx, renewal);
    }

    /** The same, delivered as {@code uuid}, signed at {@code signedAt}. */
    static Map<String, Object> payload(String uuid, Instant signedAt, String type, String subtype,
            Map<String, Object> tx, Map<String, Object> renewal) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("appAppleId", 1234567890L);
        data.put("bundleId", BUNDLE);
        data.put("bundleVersion", "42");
        data.put("environment", "Production");
        if (tx != null) {
            data.put("signedTransactionInfo", APPLE.sign(json(tx)));
        }
        if (renewal != null) {
            data.put("signedRenewalInfo", APPLE.sign(json(renewal)));
        }
        data.put("status", 1);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("notificationType", type);
        if (subtype != null) {
            payload.put("subtype", subtype);
        }
        payload.put("notificationUUID", uuid);
        payload.put("data", data);
        payload.put("version", "2.0");
        payload.put("signedDate", signedAt.toEpochMilli());
        return payload;
    }

    /** JWSRenewalInfoDecodedPayload of the subscription in {@link AppleVerifierTest#subscription()}. */
    static Map<String, Object> renewal(int autoRenewStatus) {
        Map<String, Object> renewal = new LinkedHashMap<>();
        renewal.put("originalTransactionId", "2000000800000001");
        renewal.put("autoRenewProductId", "dev.tandem.membership.monthly");
        renewal.put("productId", "dev.tandem.membership.monthly");
        renewal.put("autoRenewStatus", autoRenewStatus);
        renewal.put("isInBillingRetryPeriod", true);
        renewal.put("gracePeriodExpiresDate", GRACE_ENDS.toEpochMilli());
        renewal.put("signedDate", NOW.minusSeconds(10).toEpochMilli());
        renewal.put("environment", "Production");
        renewal.put("recentSubscriptionStartDate", NOW.minus(Duration.ofDays(60)).toEpochMilli());
        return renewal;
    }

    static String body(Map<String, Object> payload) {
        return body(APPLE.sign(json(payload)));
    }

    static String body(String signedPayload) {
        return "{\"signedPayload\":\"" + signedPayload + "\"}";
    }

    @Test
    void refundOfAPackRevokesItsTransaction() {
        Map<String, Object> refunded = with(consumable(), "revocationDate", NOW.minusSeconds(60).toEpochMilli());
        refunded.put("revocationReason", 0);
        refunded.put("revocationType", "REFUND_FULL");

        StoreNotification notification = VERIFIER.verifyNotification(body(payload("REFUND", null, refunded, null)));

        assertThat(notification.notificationId()).isEqualTo(UUID);
        assertThat(notification.type()).isEqualTo("REFUND");
        assertThat(notification.sentAt()).isEqualTo(NOW.minusSeconds(10));
        assertThat(notification.events()).containsExactly(new StoreEvent.Revoked(Store.APPLE, "2000000812345678",
                "2000000812345678", "dev.tandem.gems.500", NOW.minusSeconds(60), StoreEvent.Revoked.Reason.REFUND,
                false, StoreEnvironment.PRODUCTION));
    }

    @Test
    void didRenewIsARenewalUntilTheNewExpiry() {
        StoreNotification notification = VERIFIER.verifyNotification(
                body(payload("DID_RENEW", null, subscription(), renewal(1))));

        assertThat(notification.events()).containsExactly(new StoreEvent.Renewed(Store.APPLE, "2000000812349999",
                "2000000800000001", "dev.tandem.membership.monthly", NOW.minusSeconds(60),
                NOW.plus(Duration.ofDays(30)), StoreEnvironment.PRODUCTION));
    }

    @Test
    void failedRenewalInGracePeriodKeepsAccessUntilGraceEnds() {
        StoreNotification notification = VERIFIER.verifyNotification(
                body(payload("DID_FAIL_TO_RENEW", "GRACE_PERIOD", subscription(), renewal(1))));

        assertThat(notification.type()).isEqualTo("DID_FAIL_TO_RENEW/GRACE_PERIOD");
        assertThat(notification.events()).containsExactly(new StoreEvent.GracePeriod(Store.APPLE,
                "2000000800000001", "dev.tandem.membership.monthly", GRACE_ENDS, StoreEnvironment.PRODUCTION));
    }

    static Stream<Arguments> lifecycle() {
        String orig = "2000000800000001";
        String product = "dev.tandem.membership.monthly";
        StoreEnvironment prod = StoreEnvironment.PRODUCTION;
        Instant expiry = NOW.plus(Duration.ofDays(30));
        return Stream.of(
                Arguments.of("SUBSCRIBED", "INITIAL_BUY", List.of(new StoreEvent.Purchased(Store.APPLE,
                        "2000000812349999", orig, product, 1, NOW.minusSeconds(60), prod,
                        "7e3fb20b-4cdb-47cc-936d-99d65f608138", ProductKind.SUBSCRIPTION, expiry))),
                Arguments.of("DID_FAIL_TO_RENEW", null, List.of(new StoreEvent.OnHold(Store.APPLE, orig, product,
                        prod))),
                Arguments.of("GRACE_PERIOD_EXPIRED", null, List.of(new StoreEvent.OnHold(Store.APPLE, orig, product,
                        prod))),
                Arguments.of("DID_CHANGE_RENEWAL_STATUS", "AUTO_RENEW_DISABLED", List.of(
                        new StoreEvent.RenewalChanged(Store.APPLE, orig, product, false, expiry, prod))),
                Arguments.of("EXPIRED", "VOLUNTARY", List.of(new StoreEvent.Expired(Store.APPLE, orig, product,
                        expiry, prod))),
                Arguments.of("CONSUMPTION_REQUEST", null, List.of()),
                Arguments.of("PRICE_INCREASE", "ACCEPTED", List.of()));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("lifecycle")
    void subscriptionLifecycleBecomesEvents(String type, String subtype, List<StoreEvent> expected) {
        int autoRenew = "AUTO_RENEW_DISABLED".equals(subtype) ? 0 : 1;

        StoreNotification notification = VERIFIER.verifyNotification(
                body(payload(type, subtype, subscription(), renewal(autoRenew))));

        assertThat(notification.events()).isEqualTo(expected);
    }

    @Test
    void testNotificationVerifiesAndAsksForNothing() {
        StoreNotification notification = VERIFIER.verifyNotification(body(payload("TEST", null, null, null)));

        assertThat(notification.type()).isEqualTo("TEST");
        assertThat(notification.events()).isEmpty();
    }

    static Stream<Arguments> rejections() {
        Map<String, Object> renew = payload("DID_RENEW", null, subscription(), renewal(1));
        Map<String, Object> forgedTx = payload("DID_RENEW", null, subscription(), renewal(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> forgedData = (Map<String, Object>) forgedTx.get("data");
        String[] tx = ((String) forgedData.get("signedTransactionInfo")).split("\\.");
        forgedData.put("signedTransactionInfo", tx[0] + "." + APPLE.sign(json(with(subscription(), "expiresDate",
                NOW.plus(Duration.ofDays(3650)).toEpochMilli()))).split("\\.")[1] + "." + tx[2]);
        Map<String, Object> otherBundle = payload("DID_RENEW", null, subscription(), renewal(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> otherData = (Map<String, Object>) otherBundle.get("data");
        otherData.put("bundleId", "com.evil.app");
        Map<String, Object> txOfOtherApp = payload("DID_RENEW", null, with(subscription(), "bundleId",
                "com.evil.app"), renewal(1));
        Map<String, Object> mixedRenewal = payload("DID_RENEW", null, subscription(),
                with(renewal(1), "originalTransactionId", "999"));
        return Stream.of(
                Arguments.of("nested transaction edited", body(forgedTx), Reason.BAD_SIGNATURE, "transaction"),
                Arguments.of("signed under another root", body(OTHER.sign(json(renew))),
                        Reason.UNTRUSTED_CERTIFICATE, "trusted root"),
                Arguments.of("older than seven days", body(with(renew, "signedDate",
                        NOW.minus(Duration.ofDays(8)).toEpochMilli())), Reason.STALE, "older than"),
                Arguments.of("another app's notification", body(otherBundle), Reason.WRONG_APP, "com.evil.app"),
                Arguments.of("another app's transaction", body(txOfOtherApp), Reason.WRONG_APP, "com.evil.app"),
                Arguments.of("renewal of another subscription", body(mixedRenewal), Reason.MALFORMED,
                        "different originalTransactionIds"),
                Arguments.of("DID_RENEW without transaction", body(payload("DID_RENEW", null, null, renewal(1))),
                        Reason.MALFORMED, "carries no data.signedTransactionInfo"),
                Arguments.of("body without signedPayload", "{\"payload\":\"x\"}", Reason.MALFORMED,
                        "'signedPayload' is missing"),
                Arguments.of("body not JSON", "signedPayload=abc", Reason.MALFORMED, "not JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectsNotifications(String name, String body, Reason expected, String why) {
        assertThatThrownBy(() -> VERIFIER.verifyNotification(body)).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected);
                    assertThat(e.getMessage()).contains(why);
                });
    }
}
