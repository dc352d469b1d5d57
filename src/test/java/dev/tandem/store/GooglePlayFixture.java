package dev.tandem.store;

import dev.tandem.support.Closing;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A GooglePlayVerifier wired to a fresh {@link FakeGooglePlay} for each test. */
abstract class GooglePlayFixture {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String SECRET = "s3cr3t-push-token-0123456789abcdefghij";
    static final String PRODUCT = "gems_500";
    static final String TOKEN = "opaque-token-up-to-150-chars.AO-J1Ogabc";

    TestClock clock;
    FakeGooglePlay play;
    HttpClient http;
    GooglePlayVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        clock = new TestClock(NOW);
        play = new FakeGooglePlay(clock);
        http = HttpClient.newHttpClient();
        verifier = verifier(play.serviceKey, Set.of(StoreEnvironment.PRODUCTION), play.base());
    }

    @AfterEach
    void stop() {
        Closing.all(play, http);
    }

    GooglePlayVerifier verifier(KeyPair key, Set<StoreEnvironment> environments, URI api) {
        return new GooglePlayVerifier(new GooglePlayVerifier.Settings(FakeGooglePlay.PACKAGE,
                play.serviceAccountJson(key), api, environments, SECRET, Duration.ofSeconds(5)), clock, http);
    }

    /** ProductPurchase as documented for purchases.products.get. */
    static String productPurchase(int purchaseState, Integer purchaseType) {
        return """
                {"kind":"androidpublisher#productPurchase","purchaseTimeMillis":"%d","purchaseState":%d,
                 "consumptionState":0,"developerPayload":"","orderId":"GPA.3345-6789-0123-45678",
                 %s"acknowledgementState":1,"productId":"gems_500","quantity":3,
                 "obfuscatedExternalAccountId":"person-42","regionCode":"US"}"""
                .formatted(NOW.minusSeconds(120).toEpochMilli(), purchaseState,
                        purchaseType == null ? "" : "\"purchaseType\":" + purchaseType + ",");
    }
}
