package dev.tandem.identity.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Making and hashing API key secrets: {@code tdm_} and 40 random letters and digits (238 bits). */
final class SecretKeys {

    static final String PREFIX = "tdm_";
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeys() {
    }

    static String newSecret() {
        return PREFIX + random(40);
    }

    static String newId(String kind) {
        return kind + "_" + random(20);
    }

    static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
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
