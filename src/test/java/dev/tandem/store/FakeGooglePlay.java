package dev.tandem.store;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Google's OAuth token endpoint and the Android Publisher API, on 127.0.0.1, speaking their documented JSON.
 * The token endpoint checks the JWT bearer assertion as Google does: RS256 signature by the service account's
 * key, {@code iss} its email, {@code aud} the token URI, the androidpublisher scope, a one-hour lifetime.
 */
final class FakeGooglePlay implements AutoCloseable {

    static final String PACKAGE = "dev.tandem.app";
    static final String EMAIL = "play-verifier@tandem-test.iam.gserviceaccount.com";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final HttpServer server;
    /** The service account key Google knows; one for all tests, as RSA keys are slow to make. */
    static final KeyPair SERVICE_KEY = rsa();
    final KeyPair serviceKey = SERVICE_KEY;
    final Clock clock;
    /** Purchase resources by "products/{productId}/{token}" or "subscriptionsv2/{token}". */
    final Map<String, String> purchases = new ConcurrentHashMap<>();
    /** Status codes to answer instead, by the same keys. */
    final Map<String, Integer> failures = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> rejectedAssertions = new CopyOnWriteArrayList<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();

    FakeGooglePlay(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/androidpublisher/v3/applications/", this::publisher);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String tokenUri() {
        return base() + "/token";
    }

    /** The key file Google Cloud hands out, for this server's token endpoint. */
    String serviceAccountJson(KeyPair keys) {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Map<String, Object> file = new HashMap<>();
        file.put("type", "service_account");
        file.put("project_id", "tandem-test");
        file.put("private_key_id", "0123456789abcdef");
        file.put("private_key", pem);
        file.put("client_email", EMAIL);
        file.put("client_id", "100000000000000000001");
        file.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        file.put("token_uri", tokenUri());
        return JSON.writeValueAsString(file);
    }

    /** Google stops accepting every access token issued so far (revoked, or expired early). */
    void revokeAccessTokens() {
        validTokens.clear();
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        String problem = checkAssertion(exchange, fields);
        if (problem != null) {
            rejectedAssertions.add(problem);
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}");
            return;
        }
        String token = "ya29.test-" + tokensIssued.incrementAndGet();
        validTokens.add(token);
        send(exchange, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }

    private String checkAssertion(HttpExchange exchange, Map<String, String> fields) {
        if (!exchange.getRequestMethod().equals("POST")
                || !"application/x-www-form-urlencoded".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            return "POST a form";
        }
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type"))) {
            return "grant_type";
        }
        String[] parts = fields.getOrDefault("assertion", "").split("\\.");
        if (parts.length != 3) {
            return "assertion is not a JWT";
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!verifies(serviceKey.getPublic(), parts)) {
                return "Invalid JWT Signature.";
            }
            long now = clock.instant().getEpochSecond();
            if (!"RS256".equals(header.get("alg").stringValue())) {
                return "alg";
            }
            if (!EMAIL.equals(claims.get("iss").stringValue()) || !tokenUri().equals(claims.get("aud").stringValue())
                    || !"https://www.googleapis.com/auth/androidpublisher".equals(claims.get("scope").stringValue())) {
                return "iss, aud or scope";
            }
            long iat = claims.get("iat").longValue();
            long exp = claims.get("exp").longValue();
            if (Math.abs(iat - now) > 60 || exp - iat != 3600) {
                return "iat/exp";
            }
            return null;
        } catch (RuntimeException e) {
            return "unreadable assertion: " + e.getMessage();
        }
    }

    private static boolean verifies(PublicKey key, String[] parts) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (Exception e) {
            return false;
        }
    }

    private void publisher(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        calls.add(exchange.getRequestMethod() + " " + path);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
            send(exchange, 401, error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED"));
            return;
        }
        String prefix = "/androidpublisher/v3/applications/" + PACKAGE + "/purchases/";
        if (!path.startsWith(prefix)) {
            send(exchange, 403, error(403, "The current user has insufficient permissions to perform the requested "
                    + "operation.", "PERMISSION_DENIED"));
            return;
        }
        String rest = path.substring(prefix.length());
        if (exchange.getRequestMethod().equals("POST")) {
            send(exchange, 204, "");
            return;
        }
        String key = rest.replace("/tokens/", "/");
        Integer failure = failures.get(key);
        if (failure != null) {
            send(exchange, failure, error(failure, "Backend Error", "UNAVAILABLE"));
            return;
        }
        String body = purchases.get(key);
        if (body == null) {
            send(exchange, 404, error(404, "The purchase token was not found.", "NOT_FOUND"));
            return;
        }
        send(exchange, 200, body);
    }

    private static String error(int code, String message, String status) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\"}}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
