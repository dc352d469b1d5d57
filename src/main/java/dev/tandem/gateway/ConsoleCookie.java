package dev.tandem.gateway;

import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.ConsoleSessions;
import dev.tandem.identity.SignedIn;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * The console's session cookie ({@code tandem_session}: HttpOnly, SameSite=Lax, Secure on https or with
 * {@code TANDEM_SECURE_COOKIES}) and the CSRF rules for requests it authenticates: a request that changes state
 * must carry the session's CSRF token (header {@code x-csrf-token} or form field {@code _csrf}) and, when the
 * browser sends an {@code Origin} or {@code Referer}, come from this host. Requests authenticated by an API key
 * are not subject to these rules: browsers do not attach keys on their own. Thread-safe.
 */
@Component
public final class ConsoleCookie {

    public static final String NAME = "tandem_session";
    public static final String CSRF_HEADER = "x-csrf-token";
    public static final String CSRF_FIELD = "_csrf";

    private final ConsoleSessions sessions;
    private final boolean secureAlways;

    ConsoleCookie(ConsoleSessions sessions, ConsoleProperties properties) {
        this.sessions = sessions;
        this.secureAlways = properties.secureCookies();
    }

    /** The cookie's value, if the request has one. */
    public static Optional<String> token(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (NAME.equals(c.getName()) && c.getValue() != null && !c.getValue().isEmpty()) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    /** The live session of the request's cookie. */
    public Optional<ConsoleSession> session(HttpServletRequest request) {
        return token(request).flatMap(sessions::authenticate);
    }

    /** Sets the cookie of a session just opened. */
    public void open(HttpServletRequest request, HttpServletResponse response, SignedIn signedIn) {
        long seconds = Math.max(1, (signedIn.session().expiresAt() - System.currentTimeMillis()) / 1000);
        write(request, response, signedIn.token(), Duration.ofSeconds(seconds));
    }

    /** Ends the request's session, if any, and tells the browser to drop the cookie. */
    public void close(HttpServletRequest request, HttpServletResponse response) {
        token(request).ifPresent(sessions::signOut);
        write(request, response, "", Duration.ZERO);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
        ResponseCookie cookie = ResponseCookie.from(NAME, value).httpOnly(true).sameSite("Lax").path("/")
                .secure(secure(request)).maxAge(maxAge).build();
        response.addHeader("Set-Cookie", cookie.toString());
        response.setHeader("Cache-Control", "no-store");
    }

    private boolean secure(HttpServletRequest request) {
        return secureAlways || request.isSecure()
                || "https".equalsIgnoreCase(request.getHeader("x-forwarded-proto"));
    }

    /** True for methods that may change state (everything but GET, HEAD, OPTIONS and TRACE). */
    public static boolean changesState(String method) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> false;
            default -> true;
        };
    }

    /**
     * Why {@code request}, authenticated by {@code session}'s cookie, must be refused as a possible cross-site
     * request forgery; empty when it may go on. Requests that do not change state always may.
     */
    public static Optional<String> csrfProblem(HttpServletRequest request, ConsoleSession session) {
        if (!changesState(request.getMethod())) {
            return Optional.empty();
        }
        Optional<String> origin = foreignOrigin(request);
        if (origin.isPresent()) {
            return origin;
        }
        String given = request.getHeader(CSRF_HEADER);
        if (given == null && isForm(request)) {
            given = request.getParameter(CSRF_FIELD);
        }
        if (given == null || given.isEmpty()) {
            return Optional.of("This request needs the session's CSRF token in the " + CSRF_HEADER + " header (or the "
                    + CSRF_FIELD + " form field); GET /v1/console/session returns it.");
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("The CSRF token does not match this session; reload the page or GET "
                    + "/v1/console/session for the current one.");
        }
        return Optional.empty();
    }

    /**
     * Why the request must be refused because the page that sent it is on another site (its {@code Origin}, or
     * lacking one its {@code Referer}, names another host than the request's); empty when neither is sent.
     */
    public static Optional<String> foreignOrigin(HttpServletRequest request) {
        String origin = request.getHeader("origin");
        String source = origin != null ? origin : request.getHeader("referer");
        if (source == null) {
            return Optional.empty();
        }
        String host = request.getHeader("host");
        String sourceHost = authority(source);
        if (host == null || sourceHost == null || !sourceHost.equalsIgnoreCase(host)) {
            return Optional.of("This request comes from another site (" + (origin != null ? "Origin" : "Referer")
                    + " " + source + ") and was refused.");
        }
        return Optional.empty();
    }

    private static @Nullable String authority(String url) {
        try {
            URI uri = URI.create(url.strip());
            return uri.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && (type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                || type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data"));
    }
}
