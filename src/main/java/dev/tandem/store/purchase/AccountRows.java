package dev.tandem.store.purchase;

import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code store_accounts} table: each buyer's account token (a random UUID the app attaches to store purchases,
 * made on first use and never changed) and the monthly cap they set on themselves. Thread-safe.
 */
@Component
public class AccountRows {

    private final JdbcClient jdbc;
    private final java.time.Clock clock;

    AccountRows(JdbcClient jdbc, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The person's account token, made now when they have none. */
    public String token(String personId) {
        Optional<String> token = jdbc.sql("SELECT account_token FROM store_accounts WHERE person_id = :p")
                .param("p", personId).query(String.class).optional();
        if (token.isPresent()) {
            return token.get();
        }
        ensure(personId);
        return jdbc.sql("SELECT account_token FROM store_accounts WHERE person_id = :p").param("p", personId)
                .query(String.class).single();
    }

    /** Who an account token belongs to. */
    public Optional<String> person(String accountToken) {
        return jdbc.sql("SELECT person_id FROM store_accounts WHERE account_token = :t")
                .param("t", accountToken.toLowerCase(java.util.Locale.ROOT)).query(String.class).optional();
    }

    public Optional<Long> monthlyCap(String personId) {
        return jdbc.sql("SELECT monthly_cap FROM store_accounts WHERE person_id = :p AND monthly_cap IS NOT NULL")
                .param("p", personId).query(Long.class).optional();
    }

    /** Sets (or, with null, removes) the person's own monthly cap. */
    public void monthlyCap(String personId, @Nullable Long cap) {
        ensure(personId);
        jdbc.sql("UPDATE store_accounts SET monthly_cap = :c, updated_at = :now WHERE person_id = :p")
                .param("c", cap).param("now", clock.millis()).param("p", personId).update();
    }

    private void ensure(String personId) {
        long now = clock.millis();
        jdbc.sql("INSERT INTO store_accounts (person_id, account_token, monthly_cap, created_at, updated_at) "
                        + "VALUES (:p, :t, NULL, :now, :now) ON CONFLICT (person_id) DO NOTHING")
                .param("p", personId).param("t", UUID.randomUUID().toString()).param("now", now).update();
    }
}
