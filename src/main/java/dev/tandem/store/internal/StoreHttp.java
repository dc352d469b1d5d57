package dev.tandem.store.internal;

import dev.tandem.store.Store;
import dev.tandem.store.StoreException;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Calls to a store's API: transport failures become {@link StoreException.Reason#UPSTREAM}. */
public final class StoreHttp {

    private StoreHttp() {
    }

    /** Sends {@code request}; {@code what} names the call in messages ("Google token exchange"). */
    public static HttpResponse<byte[]> send(Store store, HttpClient http, HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new StoreException(store, StoreException.Reason.UPSTREAM, what + " timed out", e);
        } catch (IOException e) {
            throw new StoreException(store, StoreException.Reason.UPSTREAM,
                    what + " failed: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(store, StoreException.Reason.UPSTREAM, what + " was interrupted", e);
        }
    }

    /** {@code application/x-www-form-urlencoded}, in the map's order. */
    public static String form(Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        return body.toString();
    }

    /** One URL path segment, percent-encoded. */
    public static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Up to 200 characters of a response body, for messages. */
    public static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
