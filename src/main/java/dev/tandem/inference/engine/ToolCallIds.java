package dev.tandem.inference.engine;

import java.security.SecureRandom;

/** Ids for tool calls an engine reads out of model text ({@code call_} and 24 letters or digits). */
public final class ToolCallIds {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ToolCallIds() {
    }

    public static String next() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "call_" + new String(id);
    }
}
