package dev.tandem.identity.internal;

import dev.tandem.identity.Ids;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.ConsoleSessions;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.IdentityException.Reason;
import dev.tandem.identity.IdentityProperties;
import dev.tandem.identity.Person;
import dev.tandem.identity.SignedIn;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ConsoleSessions} over the {@code console_sessions} and {@code sign_in_failures} tables: any node serves
 * any session, and failures count across nodes. A session's last use is written at most once a minute.
 */
@Component
class JdbcConsoleSessions implements ConsoleSessions {

    private static final long TOUCH_EVERY_MILLIS = 60_000;
    private static final String FAILED = "Incorrect email or password.";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Passwords passwords;
    private final JdbcPeople people;
    private final IdentityProperties properties;
    private final SignInFailures failures;

    JdbcConsoleSessions(JdbcClient jdbc, TransactionTemplate tx, Clock clock, Passwords passwords, JdbcPeople people,
            IdentityProperties properties, SignInFailures failures) {
        this.failures = failures;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.passwords = passwords;
        this.people = people;
        this.properties = properties;
    }

    @Override
    public SignedIn signIn(String email, String password, String clientAddress, @Nullable String userAgent) {
        String emailSubject = SignInFailures.email(email);
        String addressSubject = SignInFailures.address(clientAddress);
        failures.check(emailSubject, addressSubject);
        Optional<JdbcPeople.Credentials> credentials = email.length() > 320 ? Optional.empty()
                : people.credentials(email);
        boolean matches = passwords.matches(password, credentials.map(JdbcPeople.Credentials::passwordHash)
                .orElse(null));
        if (!matches || credentials.get().person().disabled()) {
            failures.failed(emailSubject, addressSubject);
            throw new IdentityException(Reason.UNAUTHENTICATED, FAILED, null);
        }
        Person person = credentials.get().person();
        String token = "tds_" + Ids.random(43);
        String csrf = Ids.random(40);
        String id = Ids.next("ses");
        long now = clock.millis();
        long expires = now + properties.sessionMax().toMillis();
        tx.executeWithoutResult(s -> {
            failures.succeeded(emailSubject);
            jdbc.sql("DELETE FROM console_sessions WHERE expires_at < :now OR last_seen_at < :idle")
                    .param("now", now).param("idle", now - properties.sessionIdle().toMillis()).update();
            jdbc.sql("""
                            INSERT INTO console_sessions (id, token_hash, person_id, csrf_token, created_at, last_seen_at,
                                expires_at, ip, user_agent)
                            VALUES (:id, :hash, :person, :csrf, :now, :now, :expires, :ip, :ua)""")
                    .param("id", id).param("hash", SecretKeys.hash(token)).param("person", person.id())
                    .param("csrf", csrf).param("now", now).param("expires", expires)
                    .param("ip", truncate(clientAddress, 64))
                    .param("ua", userAgent == null ? null : truncate(userAgent, 400)).update();
        });
        return new SignedIn(new ConsoleSession(id, person, csrf, people.memberships(person.id()), expires), token);
    }

    @Override
    public Optional<ConsoleSession> authenticate(String token) {
        if (token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        long now = clock.millis();
        long idle = properties.sessionIdle().toMillis();
        record Row(String id, String personId, String csrf, long lastSeen, long expires) {
        }
        Optional<Row> row = jdbc.sql("SELECT id, person_id, csrf_token, last_seen_at, expires_at FROM console_sessions "
                        + "WHERE token_hash = :h")
                .param("h", SecretKeys.hash(token))
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5)))
                .optional().filter(r -> now < r.expires() && now < r.lastSeen() + idle);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Optional<Person> person = people.find(row.get().personId()).filter(p -> !p.disabled());
        if (person.isEmpty()) {
            return Optional.empty();
        }
        if (now - row.get().lastSeen() >= Math.min(TOUCH_EVERY_MILLIS, idle / 10)) {
            jdbc.sql("UPDATE console_sessions SET last_seen_at = :now WHERE id = :id").param("now", now)
                    .param("id", row.get().id()).update();
        }
        return Optional.of(new ConsoleSession(row.get().id(), person.get(), row.get().csrf(),
                people.memberships(person.get().id()), row.get().expires()));
    }

    @Override
    public void signOut(String token) {
        if (token.isEmpty() || token.length() > 200) {
            return;
        }
        jdbc.sql("DELETE FROM console_sessions WHERE token_hash = :h").param("h", SecretKeys.hash(token)).update();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
