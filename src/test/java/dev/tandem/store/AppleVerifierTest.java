package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.store.AppleChains.Chain;
import dev.tandem.store.AppleChains.Options;
import dev.tandem.store.StoreException.Reason;
import dev.tandem.store.apple.AppleSignedData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Signed transactions, shaped like Apple's documented JWSTransactionDecodedPayload, through AppleVerifier. */
class AppleVerifierTest {

    static final String BUNDLE = "dev.tandem.app";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Chain APPLE = AppleChains.create("Test Apple Root CA - G3");
    static final Chain OTHER = AppleChains.create("Someone Else's Root");

    static AppleVerifier verifier(Set<StoreEnvironment> environments) {
        return new AppleVerifier(new AppleVerifier.Settings(BUNDLE, environments, List.of(APPLE.root()),
                AppleVerifier.Settings.DEFAULT_MAX_NOTIFICATION_AGE), CLOCK);
    }

    static final AppleVerifier VERIFIER = verifier(Set.of(StoreEnvironment.PRODUCTION));

    /** A consumable purchase as Apple documents JWSTransactionDecodedPayload. */
    static Map<String, Object> consumable() {
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("transactionId", "2000000812345678");
        tx.put("originalTransactionId", "2000000812345678");
        tx.put("bundleId", BUNDLE);
        tx.put("productId", "dev.tandem.gems.500");
        tx.put("purchaseDate", NOW.minusSeconds(60).toEpochMilli());
        tx.put("originalPurchaseDate", NOW.minusSeconds(60).toEpochMilli());
        tx.put("quantity", 2);
        tx.put("type", "Consumable");
        tx.put("appAccountToken", "7e3fb20b-4cdb-47cc-936d-99d65f608138");
        tx.put("inAppOwnershipType", "PURCHASED");
        tx.put("signedDate", NOW.minusSeconds(30).toEpochMilli());
        tx.put("environment", "Production");
        tx.put("transactionReason", "PURCHASE");
        tx.put("storefront", "USA");
        tx.put("storefrontId", "143441");
        tx.put("price", 4990);
        tx.put("currency", "USD");
        return tx;
    }

    static Map<String, Object> subscription() {
        Map<String, Object> tx = consumable();
        tx.put("transactionId", "2000000812349999");
        tx.put("originalTransactionId", "2000000800000001");
        tx.put("webOrderLineItemId", "2000000012345678");
        tx.put("productId", "dev.tandem.membership.monthly");
        tx.put("subscriptionGroupIdentifier", "21345678");
        tx.put("quantity", 1);
        tx.put("type", "Auto-Renewable Subscription");
        tx.put("expiresDate", NOW.plus(Duration.ofDays(30)).toEpochMilli());
        tx.put("transactionReason", "RENEWAL");
        return tx;
    }

    static String json(Map<String, Object> map) {
        return JSON.writeValueAsString(map);
    }

    static Map<String, Object> with(Map<String, Object> map, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put(field, value);
        return copy;
    }

    @Test
    void acceptsConsumablePurchaseSignedThroughTheTrustedChain() {
        StoreEvent event = VERIFIER.verifyTransaction(APPLE.sign(json(consumable())));

        assertThat(event).isEqualTo(new StoreEvent.Purchased(Store.APPLE, "2000000812345678", "2000000812345678",
                "dev.tandem.gems.500", 2, NOW.minusSeconds(60), StoreEnvironment.PRODUCTION,
                "7e3fb20b-4cdb-47cc-936d-99d65f608138", ProductKind.CONSUMABLE, null));
    }

    @Test
    void acceptsSubscriptionWithItsExpiry() {
        StoreEvent event = VERIFIER.verifyTransaction(APPLE.sign(json(subscription())));

        assertThat(event).isInstanceOfSatisfying(StoreEvent.Purchased.class, p -> {
            assertThat(p.kind()).isEqualTo(ProductKind.SUBSCRIPTION);
            assertThat(p.originalTransactionId()).isEqualTo("2000000800000001");
            assertThat(p.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        });
    }

    @Test
    void acceptsSandboxOnlyWhereConfigured() {
        String sandbox = APPLE.sign(json(with(consumable(), "environment", "Sandbox")));

        StoreEvent event = verifier(Set.of(StoreEnvironment.PRODUCTION, StoreEnvironment.SANDBOX))
                .verifyTransaction(sandbox);

        assertThat(event.environment()).isEqualTo(StoreEnvironment.SANDBOX);
        assertThatThrownBy(() -> VERIFIER.verifyTransaction(sandbox)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_ENVIRONMENT));
    }

    @Test
    void refundedTransactionIsRevokedAndProratedRefundIsPartial() {
        Map<String, Object> tx = with(with(consumable(), "revocationDate", NOW.minusSeconds(5).toEpochMilli()),
                "revocationReason", 1);
        tx.put("revocationType", "REFUND_PRORATED");

        StoreEvent event = VERIFIER.verifyTransaction(APPLE.sign(json(tx)));

        assertThat(event).isEqualTo(new StoreEvent.Revoked(Store.APPLE, "2000000812345678", "2000000812345678",
                "dev.tandem.gems.500", NOW.minusSeconds(5), StoreEvent.Revoked.Reason.REFUND, true,
                StoreEnvironment.PRODUCTION));
    }

    static Stream<Arguments> rejections() {
        String[] parts = APPLE.sign(json(consumable())).split("\\.");
        String editedPayload = parts[0] + "." + APPLE.sign(json(with(consumable(), "quantity", 200))).split("\\.")[1]
                + "." + parts[2];
        String strangerSignature = AppleChains.signWithHeader("{}", "{}", AppleChains.keys("secp256r1").getPrivate())
                .split("\\.")[2];
        var strangerKeys = AppleChains.keys("secp384r1");
        var strangerIntermediate = AppleChains.certificate("CN=Test Worldwide Developer Relations CA - G6",
                strangerKeys.getPublic(), "CN=Test Apple Root CA - G3, O=Tandem Test", strangerKeys.getPrivate(),
                true, AppleSignedData.INTERMEDIATE_MARKER, AppleChains.NOT_BEFORE, AppleChains.NOT_AFTER);
        var leafKeys = AppleChains.keys("secp256r1");
        var strangerLeaf = AppleChains.certificate("CN=leaf", leafKeys.getPublic(),
                "CN=Test Worldwide Developer Relations CA - G6", strangerKeys.getPrivate(), false,
                AppleSignedData.LEAF_MARKER, AppleChains.NOT_BEFORE, AppleChains.NOT_AFTER);
        Chain noLeafMarker = APPLE.issue(new Options(false, true, AppleChains.NOT_BEFORE, AppleChains.NOT_AFTER));
        Chain noIntermediateMarker = APPLE.issue(
                new Options(true, false, AppleChains.NOT_BEFORE, AppleChains.NOT_AFTER));
        Chain expiredLeaf = APPLE.issue(new Options(true, true, AppleChains.NOT_BEFORE, NOW.minus(Duration.ofDays(1))));
        String twoCertificates = AppleChains.signWithHeader("{\"alg\":\"ES256\",\"x5c\":[\"%s\",\"%s\"]}".formatted(
                AppleChains.der(APPLE.leaf()), AppleChains.der(APPLE.intermediate())), json(consumable()),
                APPLE.leafKey());
        return Stream.of(
                Arguments.of("payload edited after signing", editedPayload, Reason.BAD_SIGNATURE,
                        "signature does not match"),
                Arguments.of("signed by a key that is not the leaf's", parts[0] + "." + parts[1] + "."
                        + strangerSignature, Reason.BAD_SIGNATURE, "signature does not match"),
                Arguments.of("chain to an untrusted root", OTHER.sign(json(consumable())),
                        Reason.UNTRUSTED_CERTIFICATE, "is not a configured trusted root"),
                Arguments.of("trusted root named, intermediate not issued by it",
                        APPLE.withLeaf(strangerIntermediate, strangerLeaf, leafKeys.getPrivate())
                                .sign(json(consumable())), Reason.UNTRUSTED_CERTIFICATE, "INVALID_SIGNATURE"),
                Arguments.of("leaf without Apple's marker OID", noLeafMarker.sign(json(consumable())),
                        Reason.UNTRUSTED_CERTIFICATE, "leaf certificate lacks Apple's marker extension "
                                + AppleSignedData.LEAF_MARKER),
                Arguments.of("intermediate without Apple's marker OID", noIntermediateMarker.sign(json(consumable())),
                        Reason.UNTRUSTED_CERTIFICATE, "intermediate certificate lacks Apple's marker extension "
                                + AppleSignedData.INTERMEDIATE_MARKER),
                Arguments.of("leaf expired before signedDate", expiredLeaf.sign(json(consumable())),
                        Reason.UNTRUSTED_CERTIFICATE, "EXPIRED"),
                Arguments.of("signedDate in the future", APPLE.sign(json(with(consumable(), "signedDate",
                        NOW.plus(Duration.ofHours(1)).toEpochMilli()))), Reason.STALE, "lies in the future"),
                Arguments.of("wrong bundle id", APPLE.sign(json(with(consumable(), "bundleId", "com.evil.app"))),
                        Reason.WRONG_APP, "bundle id 'com.evil.app'"),
                Arguments.of("Xcode environment", APPLE.sign(json(with(consumable(), "environment", "Xcode"))),
                        Reason.WRONG_ENVIRONMENT, "environment 'Xcode'"),
                Arguments.of("not sold by Tandem", APPLE.sign(json(with(consumable(), "type", "Non-Consumable"))),
                        Reason.MALFORMED, "'Non-Consumable' is not sold"),
                Arguments.of("alg none", "eyJhbGciOiJub25lIn0." + parts[1] + "." + parts[2], Reason.BAD_SIGNATURE,
                        "alg must be ES256"),
                Arguments.of("two certificates in x5c", twoCertificates, Reason.UNTRUSTED_CERTIFICATE,
                        "three certificates"),
                Arguments.of("two parts", parts[0] + "." + parts[1], Reason.MALFORMED, "not a compact JWS"),
                Arguments.of("payload not JSON", parts[0] + ".bm90IGpzb24." + parts[2], Reason.MALFORMED,
                        "is not JSON"),
                Arguments.of("transactionId missing", APPLE.sign(json(without(consumable(), "transactionId"))),
                        Reason.MALFORMED, "'transactionId' is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectsTransactions(String name, String jws, Reason expected, String why) {
        assertThatThrownBy(() -> VERIFIER.verifyTransaction(jws)).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected);
                    assertThat(e.store()).isEqualTo(Store.APPLE);
                    assertThat(e.getMessage()).contains(why);
                    assertThat(e.getMessage()).startsWith("Apple: ");
                });
    }

    static Map<String, Object> without(Map<String, Object> map, String field) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.remove(field);
        return copy;
    }

    @Test
    void readsTheTrustedRootFromPemAndDer() throws Exception {
        byte[] der = APPLE.root().getEncoded();
        String pem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";

        assertThat(AppleVerifier.readCertificate(der)).isEqualTo(APPLE.root());
        assertThat(AppleVerifier.readCertificate(pem.getBytes())).isEqualTo(APPLE.root());
        assertThatThrownBy(() -> AppleVerifier.readCertificate("nope".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an X.509 certificate");
    }
}
