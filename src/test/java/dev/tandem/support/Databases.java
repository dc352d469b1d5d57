package dev.tandem.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database per test run on the server of the development and CI machines
 * ({@code TANDEM_TEST_PG}, default {@code 127.0.0.1:5432}, user {@code postgres}); tests skip with a visible
 * reason where none answers.
 */
public final class Databases {

    private Databases() {
    }

    /** A PostgreSQL database that exists until {@link Fresh#close()} drops it. */
    public record Fresh(String url, String name, String admin, String user) implements AutoCloseable {
        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(admin, user, "");
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test database " + name, e);
            }
        }
    }

    public static Fresh freshPostgres() {
        String hostPort = System.getenv().getOrDefault("TANDEM_TEST_PG", "127.0.0.1:5432");
        String user = System.getenv().getOrDefault("TANDEM_TEST_PG_USER", "postgres");
        String admin = "jdbc:postgresql://" + hostPort + "/postgres";
        String name = "tandem_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(admin, user, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            Assumptions.abort("skipped: no PostgreSQL at " + hostPort + " (" + e.getMessage() + ")");
        }
        return new Fresh("jdbc:postgresql://" + hostPort + "/" + name + "?user=" + user, name, admin, user);
    }
}
