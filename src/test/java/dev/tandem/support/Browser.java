package dev.tandem.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person at a browser: keeps cookies like one, signs in to the console, and sends the CSRF token with changes
 * unless told not to. Also makes people: {@link #person} invites an address with the platform admin key and
 * accepts the invitation.
 */
public final class Browser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TandemServer server;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private String csrf = "";

    public Browser(TandemServer server) {
        this.server = server;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A response: status, headers, and the body as text and (when it is JSON) as a tree. */
    public record Reply(int status, HttpResponse<String> response) {
        public String body() {
            return response.body();
        }

        public JsonNode json() {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public Reply ok() {
            if (status / 100 != 2) {
                throw new AssertionError("HTTP " + status + ": " + body());
            }
            return this;
        }
    }

    /** Makes {@code email} a member of {@code org} with {@code role} through an invitation; returns the person id. */
    public static String person(Admin admin, String org, String email, String role, String password) {
        JsonNode invitation = admin.call("POST", "/v1/admin/organizations/" + org + "/members",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}").ok();
        return admin.call("POST", "/v1/console/invitations/accept", "{\"token\":\""
                + invitation.path("token").asString() + "\",\"name\":\"" + email.substring(0, email.indexOf('@'))
                + "\",\"password\":\"" + password + "\"}").ok().path("id").asString();
    }

    /** Signs in over the JSON API and keeps the session's CSRF token. */
    public Reply signIn(String email, String password) {
        Reply r = send("POST", "/v1/console/session", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}",
                Map.of());
        if (r.status() == 200) {
            csrf = r.json().path("csrf_token").asString();
        }
        return r;
    }

    public String csrf() {
        return csrf;
    }

    /** The session cookie's value, or null. */
    public String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("tandem_session"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** A JSON call with the session cookie, and the CSRF token for methods that change state. */
    public Reply call(String method, String path, String body) {
        return send(method, path, body, method.equals("GET") ? Map.of() : Map.of("x-csrf-token", csrf));
    }

    /** A JSON call with exactly these extra headers (no CSRF token unless given). */
    public Reply send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        headers.forEach(b::header);
        return send(b);
    }

    /** A page. */
    public Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(30)).GET());
    }

    /** A form post as a browser sends it, with the CSRF field and this host as Origin. */
    public Reply post(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("_csrf", csrf);
        all.putAll(fields);
        return postRaw(path, all, Map.of("origin", server.url("")));
    }

    /** A form post with exactly these fields and headers. */
    public Reply postRaw(String path, Map<String, String> fields, Map<String, String> headers) {
        String form = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        return send(b);
    }

    /**
     * A multipart form post as a browser sends a file upload, with the CSRF field and this host as Origin.
     *
     * @param file the file's field name, file name and bytes; null sends no file part
     */
    public Reply upload(String path, Map<String, String> fields, String fileField, String fileName, byte[] file) {
        String boundary = "----tandem" + Long.toHexString(System.nanoTime());
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("_csrf", csrf);
        all.putAll(fields);
        all.forEach((k, v) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k
                + "\"\r\n\r\n" + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (file != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
                    + "\"; filename=\"" + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(30))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .header("origin", server.url(""))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** A page's bytes (a download). */
    public byte[] download(String path) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new AssertionError("HTTP " + r.statusCode() + " for " + path);
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Takes the CSRF token from a page's {@code <meta name="csrf-token">}. */
    public void csrfFrom(Reply page) {
        var m = java.util.regex.Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page.body());
        if (m.find()) {
            csrf = m.group(1);
        }
    }

    private Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
