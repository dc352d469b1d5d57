package dev.tandem.identity.internal;

import dev.tandem.identity.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Making and hashing API key secrets: {@code tdm_} and 40 random letters and digits (238 bits). */
final class SecretKeys {

    static final String PREFIX = "tdm_";

    private SecretKeys() {
    }

    static String newSecret() {
        return PREFIX + Ids.random(40);
    }

    /** The part of a secret that may be shown: its first 12 characters. */
    static String visiblePrefix(String secret) {
        return secret.substring(0, Math.min(12, secret.length()));
    }

    /**
     * SHA-256 in hex. Keys are long random strings, not passwords: a fast hash is right here, and it keeps
     * authentication off the request path's critical cost.
     */
    static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
