package dev.tandem.identity;

import java.security.SecureRandom;

/**
 * Ids of rows: a kind prefix and 20 random letters and digits (119 bits) that cannot be guessed, so they may stand
 * in addresses ({@code org_…}, {@code chr_…}, {@code drw_…}, {@code pur_…}). One maker for every module; each
 * chooses its prefixes.
 */
public final class Ids {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String next(String kind) {
        return kind + "_" + random(20);
    }

    /** {@code length} random letters and digits. */
    public static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
