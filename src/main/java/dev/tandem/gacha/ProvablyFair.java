package dev.tandem.gacha;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@link DrawRandom} of real draws: values derived from a server seed the player saw the hash of beforehand, a
 * client seed the player chose, and a nonce that counts the player's draws under that server seed. Anyone holding
 * the three can recompute the values, and so the draw ({@link DrawVerifier}); {@code docs/provably-fair.md} has
 * the same algorithm with shell commands to check it by hand.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Blocks: {@code block(c) = HMAC-SHA256(key, message(c))} for {@code c = 0, 1, 2, ...}, where the key is
 *       the server seed's 64 lowercase hex characters as ASCII bytes and {@code message(c)} is the ASCII bytes of
 *       {@code clientSeed + ":" + nonce + ":" + c}, the numbers in decimal without leading zeros.</li>
 *   <li>Words: each 32-byte block gives eight unsigned 32-bit words, bytes 0-3, 4-7, ..., 28-31, big-endian. The
 *       words of block 0 come first, then those of block 1, and so on.</li>
 *   <li>Values: {@link #next()} takes the next word {@code w}. If {@code w >= 4,294,000,000} (the largest multiple
 *       of 1,000,000 not above 2^32) it is discarded and the next word taken; otherwise the value is
 *       {@code w mod 1,000,000}. Each value in {@code [0, 1,000,000)} comes from exactly 4,294 of the accepted
 *       words, so values are uniform, with no modulo bias; a word is discarded with chance 967,296 / 2^32
 *       (about 0.023 %).</li>
 * </ol>
 *
 * <p>A draw (one pull or a ten-pull) uses one nonce; its pulls read the stream in order
 * ({@link DrawEngine#VALUES_PER_PULL} values each). A nonce must never be used twice under one server seed.
 *
 * <p>Not thread-safe: one instance is one draw's stream.
 */
public final class ProvablyFair implements DrawRandom {

    /** Words at or above this are discarded: 4,294 × 1,000,000, the largest multiple of a million within 2^32. */
    static final long ACCEPT_BELOW = (1L << 32) / RANGE * RANGE;

    private static final int WORDS_PER_BLOCK = 8;

    private final Mac mac;
    private final String messagePrefix;
    private int cursor;
    private int word = WORDS_PER_BLOCK;
    private ByteBuffer block = ByteBuffer.allocate(0);

    /**
     * The stream of one draw.
     *
     * @param serverSeed the server seed (secret until revealed)
     * @param clientSeed the player's seed: 1 to 64 printable ASCII characters, no spaces
     * @param nonce      the draw's number under this server seed, 0 or more
     * @throws IllegalArgumentException when the client seed or nonce breaks those rules
     */
    public ProvablyFair(ServerSeed serverSeed, String clientSeed, long nonce) {
        Objects.requireNonNull(serverSeed, "serverSeed");
        checkClientSeed(clientSeed);
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must be 0 or more, was " + nonce);
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(serverSeed.key(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
        messagePrefix = clientSeed + ":" + nonce + ":";
    }

    /**
     * Checks a client seed: 1 to 64 characters from {@code !} to {@code ~} (printable ASCII without space).
     *
     * @throws IllegalArgumentException naming the rule when it is broken
     */
    public static String checkClientSeed(String clientSeed) {
        Objects.requireNonNull(clientSeed, "clientSeed");
        if (clientSeed.isEmpty() || clientSeed.length() > 64 || !clientSeed.chars().allMatch(c -> c > ' ' && c <= '~')) {
            throw new IllegalArgumentException("client seed must be 1 to 64 printable ASCII characters without "
                    + "spaces, was '" + clientSeed + "'");
        }
        return clientSeed;
    }

    @Override
    public int next() {
        while (true) {
            int value = valueOf(nextWord());
            if (value >= 0) {
                return value;
            }
        }
    }

    /** How many HMAC blocks this stream has computed so far. */
    public int blocksUsed() {
        return cursor;
    }

    /** The value a word gives: {@code w mod 1,000,000}, or -1 when {@code w} is discarded. */
    static int valueOf(long word) {
        return word < ACCEPT_BELOW ? (int) (word % RANGE) : -1;
    }

    private long nextWord() {
        if (word == WORDS_PER_BLOCK) {
            byte[] message = (messagePrefix + cursor).getBytes(StandardCharsets.US_ASCII);
            block = ByteBuffer.wrap(mac.doFinal(message));
            cursor++;
            word = 0;
        }
        return Integer.toUnsignedLong(block.getInt(4 * word++));
    }
}
