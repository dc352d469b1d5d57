package dev.tandem.store.internal;

import dev.tandem.store.Store;
import dev.tandem.store.StoreException;
import java.util.Base64;

/** Base64 decoding that reports bad input as a {@link StoreException.Reason#MALFORMED} naming the part. */
public final class Base64Url {

    private Base64Url() {
    }

    /** Decodes base64url with or without padding (JWS, JWT). */
    public static byte[] decode(Store store, String what, String value) {
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new StoreException(store, StoreException.Reason.MALFORMED, what + " is not base64url", e);
        }
    }

    /** Decodes standard base64 (x5c certificates, Pub/Sub message data). */
    public static byte[] decodeStandard(Store store, String what, String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new StoreException(store, StoreException.Reason.MALFORMED, what + " is not base64", e);
        }
    }

    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
