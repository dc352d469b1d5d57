package dev.tandem.gacha;

import java.security.SecureRandom;

/** Random ids of the gacha's rows: a kind prefix and 20 characters that cannot be guessed. */
final class GachaIds {

    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private GachaIds() {
    }

    static String next(String kind) {
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return kind + "_" + new String(out);
    }
}
