package dev.tandem.gacha;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The server's secret for {@link ProvablyFair} draws: 32 random bytes written as 64 lowercase hex characters. Its
 * {@link #hash()} is shown to the player before any draw under it; the seed itself is revealed only after, so the
 * player can check that the draws were fixed in advance ({@link DrawVerifier}). Immutable and thread-safe;
 * {@link #toString()} shows the hash, never the seed, so a log line cannot leak it.
 *
 * @param hex the seed: 64 hex characters (upper case is accepted and lowered)
 */
public record ServerSeed(String hex) {

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();

    /** @throws IllegalArgumentException when {@code hex} is not 64 hex characters */
    public ServerSeed {
        Objects.requireNonNull(hex, "hex");
        hex = hex.toLowerCase(Locale.ROOT);
        if (!HEX_64.matcher(hex).matches()) {
            throw new IllegalArgumentException("server seed must be 64 hex characters (32 bytes), was "
                    + hex.length() + " characters" + (hex.length() == 64 ? " with a non-hex one" : ""));
        }
    }

    /** A new seed of 32 bytes from {@code random}. */
    public static ServerSeed generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new ServerSeed(HEX.formatHex(bytes));
    }

    /**
     * The commitment shown before the draws: SHA-256 of the seed's 64 ASCII characters, as 64 lowercase hex
     * characters ({@code printf %s SEED | sha256sum}).
     */
    public String hash() {
        return HEX.formatHex(sha256().digest(hex.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Whether {@link #hash()} equals {@code shownHash} (hex, either case). */
    public boolean matches(String shownHash) {
        byte[] shown = shownHash.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII), shown);
    }

    /** The HMAC key of {@link ProvablyFair}: the seed's ASCII characters. */
    byte[] key() {
        return hex.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "ServerSeed[hash=" + hash() + "]";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
