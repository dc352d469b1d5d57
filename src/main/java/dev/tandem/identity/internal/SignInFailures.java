package dev.tandem.identity.internal;

import dev.tandem.identity.IdentityException;
import dev.tandem.identity.IdentityException.Reason;
import dev.tandem.identity.IdentityProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Failed password checks, counted in the database per address ({@code email:…}) and per client
 * ({@code ip:…}) so that every node sees them; past the limit within the window, password checks for that subject
 * are refused before they run.
 */
@Component
class SignInFailures {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final IdentityProperties properties;

    SignInFailures(JdbcClient jdbc, TransactionTemplate tx, Clock clock, IdentityProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    static String email(String email) {
        String key = Passwords.emailKey(email);
        return "email:" + (key.length() <= 320 ? key : key.substring(0, 320));
    }

    static String address(String clientAddress) {
        return "ip:" + (clientAddress.length() <= 64 ? clientAddress : clientAddress.substring(0, 64));
    }

    /**
     * Refuses while {@code emailSubject} or {@code addressSubject} (either may be null) has too many recent
     * failures.
     *
     * @throws IdentityException THROTTLED, with when to try again
     */
    void check(@Nullable String emailSubject, @Nullable String addressSubject) {
        long now = clock.millis();
        if (emailSubject != null) {
            check(emailSubject, properties.signInFailuresPerEmail(), now);
        }
        if (addressSubject != null) {
            check(addressSubject, properties.signInFailuresPerAddress(), now);
        }
    }

    private void check(String subject, int limit, long now) {
        long window = properties.signInWindow().toMillis();
        List<Long> failures = jdbc.sql("SELECT failed_at FROM sign_in_failures WHERE subject = :s AND failed_at >= :start "
                        + "ORDER BY failed_at DESC")
                .param("s", subject).param("start", now - window).query(Long.class).list();
        if (failures.size() >= limit) {
            // free again when the limit-th newest failure leaves the window
            Duration wait = Duration.ofMillis(Math.max(1000, failures.get(limit - 1) + window - now));
            throw new IdentityException(Reason.THROTTLED, "Too many failed sign-ins; try again in "
                    + wait.toSeconds() + " seconds.", null, wait);
        }
    }

    /** Counts a failure against each subject given (null ones are skipped) and forgets those out of the window. */
    void failed(@Nullable String... subjects) {
        long now = clock.millis();
        long start = now - properties.signInWindow().toMillis();
        tx.executeWithoutResult(s -> {
            for (String subject : subjects) {
                if (subject == null) {
                    continue;
                }
                jdbc.sql("INSERT INTO sign_in_failures (subject, failed_at) VALUES (:s, :now)")
                        .param("s", subject).param("now", now).update();
                jdbc.sql("DELETE FROM sign_in_failures WHERE subject = :s AND failed_at < :start")
                        .param("s", subject).param("start", start).update();
            }
        });
    }

    /** Forgets the failures of a subject after a success. */
    void succeeded(String subject) {
        jdbc.sql("DELETE FROM sign_in_failures WHERE subject = :s").param("s", subject).update();
    }
}
