package dev.tandem.store.google;

import dev.tandem.store.Store;
import dev.tandem.store.StoreException;
import dev.tandem.store.StoreException.Reason;
import dev.tandem.store.internal.Base64Url;
import dev.tandem.store.internal.StoreHttp;
import dev.tandem.store.internal.WireObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * OAuth 2.0 access tokens for a service account, by the JWT bearer grant (RFC 7523): an RS256-signed assertion
 * ({@code iss} the account, {@code aud} its token URI, {@code scope} the Android Publisher API, one hour) is
 * exchanged at the token URI. A token is reused until {@link #MARGIN} before it expires; one thread at a time
 * fetches a new one. Thread-safe.
 */
public final class AccessTokens {

    public static final String SCOPE = "https://www.googleapis.com/auth/androidpublisher";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final Duration LIFETIME = Duration.ofHours(1);
    static final Duration MARGIN = Duration.ofMinutes(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Token(String value, Instant refreshAt) {
    }

    private final ServiceAccount account;
    private final HttpClient http;
    private final Clock clock;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Token current;

    public AccessTokens(ServiceAccount account, HttpClient http, Clock clock, Duration timeout) {
        this.account = account;
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** A valid access token, fetched when there is none or the cached one is about to expire. */
    public String token() {
        lock.lock();
        try {
            Token token = current;
            if (token == null || !clock.instant().isBefore(token.refreshAt())) {
                token = fetch();
                current = token;
            }
            return token.value();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the cached token (Google refused it), so the next call fetches a new one. */
    public void invalidate() {
        lock.lock();
        try {
            current = null;
        } finally {
            lock.unlock();
        }
    }

    private Token fetch() {
        Instant now = clock.instant();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("assertion", assertion(now));
        HttpRequest request = HttpRequest.newBuilder(account.tokenUri()).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(StoreHttp.form(form))).build();
        HttpResponse<byte[]> response = StoreHttp.send(Store.GOOGLE_PLAY, http, request, "Google token exchange");
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new StoreException(Store.GOOGLE_PLAY, Reason.UPSTREAM, "Google token exchange answered " + status);
        }
        if (status != 200) {
            throw new StoreException(Store.GOOGLE_PLAY, Reason.MISCONFIGURED, "Google refused the service account "
                    + account.clientEmail() + " (" + status + "): " + StoreHttp.excerpt(response.body()));
        }
        WireObject body = WireObject.parse(Store.GOOGLE_PLAY, "Google token response", response.body());
        long expiresIn = body.number("expires_in");
        return new Token(body.text("access_token"), now.plusSeconds(expiresIn).minus(MARGIN));
    }

    /** The signed JWT: header {@code RS256} with the key id, claims iss, scope, aud, iat, exp. */
    String assertion(Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        if (account.privateKeyId() != null) {
            header.put("kid", account.privateKeyId());
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", account.clientEmail());
        claims.put("scope", SCOPE);
        claims.put("aud", account.tokenUri().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        String input = Base64Url.encode(JSON.writeValueAsBytes(header)) + "."
                + Base64Url.encode(JSON.writeValueAsBytes(claims));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(account.privateKey());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64Url.encode(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the service account's RSA key", e);
        }
    }
}
