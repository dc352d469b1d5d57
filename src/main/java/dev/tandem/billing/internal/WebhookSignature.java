package dev.tandem.billing.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of the webhooks Tandem sends: header {@code tandem-signature: t=<unix seconds>,v1=<hex>}, where the
 * hex is HMAC-SHA256, keyed with the organization's signing secret (its UTF-8 bytes), over
 * {@code <t>.<raw request body>}. Binding the time into the MAC lets receivers refuse old or replayed deliveries
 * (for example older than five minutes) as well as forged ones.
 */
final class WebhookSignature {

    static final String HEADER = "tandem-signature";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new signing secret: {@code whsec_} and 32 random bytes in URL-safe base 64. */
    static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The header value for {@code body} sent at {@code unixSeconds}. */
    static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
    }

    private static byte[] mac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
