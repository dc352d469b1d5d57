package dev.tandem.store.internal;

import dev.tandem.store.Store;
import dev.tandem.store.StoreException;
import java.nio.charset.StandardCharsets;

/**
 * A JWS in compact serialization ({@code header.payload.signature}), split and decoded but <em>not verified</em>:
 * whoever holds one must check {@link #signature()} over {@link #signingInput()} before trusting the payload.
 */
public record CompactJws(WireObject header, WireObject payload, byte[] signingInput, byte[] signature) {

    /** Splits and decodes {@code token}; {@code what} names it in messages ("Apple transaction"). */
    public static CompactJws parse(Store store, String what, String token) {
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new StoreException(store, StoreException.Reason.MALFORMED,
                    what + " is not a compact JWS (three non-empty base64url parts separated by dots)");
        }
        WireObject header = WireObject.parse(store, what + " JWS header",
                Base64Url.decode(store, what + " JWS header", parts[0]));
        WireObject payload = WireObject.parse(store, what, Base64Url.decode(store, what + " JWS payload", parts[1]));
        byte[] signature = Base64Url.decode(store, what + " JWS signature", parts[2]);
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        return new CompactJws(header, payload, signingInput, signature);
    }
}
