package dev.tandem.gateway;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Signs the reasoning Tandem hands out as thinking blocks, and checks the signatures clients send back, so a
 * client cannot put words in the model's mouth. A signature is {@code tdm1.<mac>} or, when the engine signed the
 * reasoning itself (Anthropic upstreams), {@code tdm1.<mac>.<engine signature>}: the engine's signature is
 * covered by the MAC and handed back to that engine unchanged.
 *
 * <p>The key is {@code TANDEM_SECRET}, or a random key created once and shared through the database.
 */
@Component
public class ThinkingSignatures {

    private static final String VERSION = "tdm1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    ThinkingSignatures(GatewayProperties properties, JdbcClient jdbc, Clock clock) {
        String secret = properties.secret() != null && !properties.secret().isBlank() ? properties.secret()
                : sharedSecret(jdbc, clock);
        this.key = new SecretKeySpec(sha256(("thinking-signatures\n" + secret).getBytes(StandardCharsets.UTF_8)),
                "HmacSHA256");
    }

    private static String sharedSecret(JdbcClient jdbc, Clock clock) {
        Optional<String> existing = jdbc.sql("SELECT value FROM platform_settings WHERE name = 'signing_secret'")
                .query(String.class).optional();
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String fresh = B64.encodeToString(random);
        try {
            jdbc.sql("INSERT INTO platform_settings (name, value, created_at) VALUES ('signing_secret', :v, :at)")
                    .param("v", fresh).param("at", clock.millis()).update();
            return fresh;
        } catch (DataIntegrityViolationException raced) {
            return jdbc.sql("SELECT value FROM platform_settings WHERE name = 'signing_secret'")
                    .query(String.class).single();
        }
    }

    /** The signature for a thinking block with this text and the engine's own signature, if any. */
    public String sign(String thinking, @Nullable String engineSignature) {
        String mac = B64.encodeToString(mac(thinking, engineSignature));
        return engineSignature == null ? VERSION + "." + mac
                : VERSION + "." + mac + "." + B64.encodeToString(engineSignature.getBytes(StandardCharsets.UTF_8));
    }

    /** Outcome of checking a signature: valid, with the engine signature it carried, or not. */
    public sealed interface Check {
        record Valid(@Nullable String engineSignature) implements Check {}

        record Invalid() implements Check {}
    }

    public Check verify(String thinking, @Nullable String signature) {
        if (signature == null || !signature.startsWith(VERSION + ".")) {
            return new Check.Invalid();
        }
        String[] parts = signature.split("\\.", -1);
        if (parts.length != 2 && parts.length != 3) {
            return new Check.Invalid();
        }
        try {
            String engine = parts.length == 3 ? new String(B64D.decode(parts[2]), StandardCharsets.UTF_8) : null;
            byte[] given = B64D.decode(parts[1]);
            return MessageDigest.isEqual(given, mac(thinking, engine)) ? new Check.Valid(engine) : new Check.Invalid();
        } catch (IllegalArgumentException badBase64) {
            return new Check.Invalid();
        }
    }

    private byte[] mac(String thinking, @Nullable String engineSignature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(thinking.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            if (engineSignature != null) {
                mac.update(engineSignature.getBytes(StandardCharsets.UTF_8));
            }
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
