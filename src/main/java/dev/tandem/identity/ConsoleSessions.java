package dev.tandem.identity;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Console sign-in sessions, kept in the database (any node serves any session). A session ends after
 * {@code TANDEM_SESSION_IDLE} without use and {@code TANDEM_SESSION_MAX} after sign-in, whichever comes first.
 * Failed sign-ins are counted per address and per client; past the limit, sign-ins are refused for a while
 * whether the password is right or not. Thread-safe.
 */
public interface ConsoleSessions {

    /**
     * Opens a session.
     *
     * @param clientAddress the client's IP address, for throttling and the session list
     * @throws IdentityException UNAUTHENTICATED with one message for an unknown address, a wrong password and a
     *                           disabled person (the answer takes as long in each case); THROTTLED with
     *                           {@link IdentityException#retryAfter()} after too many failures
     */
    SignedIn signIn(String email, String password, String clientAddress, @Nullable String userAgent);

    /** The live session of {@code token}; empty for anything else. Never throws for a bad token. */
    Optional<ConsoleSession> authenticate(String token);

    /** Ends the session of {@code token}, if there is one. */
    void signOut(String token);
}
