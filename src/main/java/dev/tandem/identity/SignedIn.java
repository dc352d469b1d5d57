package dev.tandem.identity;

import java.util.Objects;

/**
 * A session just opened, with the token for its cookie: never stored, only its hash is.
 *
 * @param session the session
 * @param token   the cookie value
 */
public record SignedIn(ConsoleSession session, String token) {
    public SignedIn {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "SignedIn[" + session.sessionId() + ", token hidden]";
    }
}
