package dev.tandem.store.purchase;

import java.security.SecureRandom;

/** Random ids of the store's rows: a kind prefix and 20 characters that cannot be guessed. */
final class StoreIds {

    private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreIds() {
    }

    static String next(String kind) {
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return kind + "_" + new String(out);
    }
}
