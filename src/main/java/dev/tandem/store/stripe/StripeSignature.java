package dev.tandem.store.stripe;

import dev.tandem.store.Store;
import dev.tandem.store.StoreException;
import dev.tandem.store.StoreException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Stripe's webhook signature: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]}, where each
 * {@code v1} may be HMAC-SHA256, keyed with the endpoint's signing secret ({@code whsec_...}), of
 * {@code t + "." + raw body}. One matching {@code v1} suffices (Stripe sends several while a secret is rolled);
 * {@code v0} and unknown schemes are ignored. Comparison is constant-time. The signed timestamp must lie within
 * the tolerance of our clock, either way, so that a captured delivery cannot be replayed later. Thread-safe.
 */
public final class StripeSignature {

    private final byte[] secret;
    private final Duration tolerance;
    private final Clock clock;

    public StripeSignature(String secret, Duration tolerance, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** Checks {@code header} over {@code payload}, the body exactly as received. */
    public void verify(byte[] payload, @Nullable String header) {
        if (header == null || header.isBlank()) {
            throw fail(Reason.BAD_SIGNATURE, "Stripe-Signature header is missing");
        }
        String timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (key.equals("t")) {
                timestamp = value;
            } else if (key.equals("v1")) {
                signatures.add(value);
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw fail(Reason.BAD_SIGNATURE, "Stripe-Signature header must carry t= and at least one v1=");
        }
        long signedAt;
        try {
            signedAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw fail(Reason.BAD_SIGNATURE, "Stripe-Signature t= must be unix seconds, was '" + timestamp + "'");
        }
        byte[] expected = HexFormat.of().formatHex(hmac(timestamp, payload)).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String signature : signatures) {
            // no early exit: every candidate is compared
            matched |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        }
        if (!matched) {
            throw fail(Reason.BAD_SIGNATURE, "no v1 signature matches the payload and the webhook secret");
        }
        Instant signed = Instant.ofEpochSecond(signedAt);
        Instant now = clock.instant();
        if (Duration.between(signed, now).abs().compareTo(tolerance) > 0) {
            throw fail(Reason.STALE, "webhook signed at " + signed + " lies outside the tolerance of " + tolerance
                    + " (now " + now + ")");
        }
    }

    private byte[] hmac(String timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static StoreException fail(Reason reason, String message) {
        return new StoreException(Store.STRIPE, reason, message);
    }
}
