package dev.tandem.companion.memory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.support.Closing;
import dev.tandem.support.Databases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database migrated by Flyway with Tandem's own scripts, without a Spring context: a SQLite file in a temporary
 * folder (with the application's settings) or a fresh PostgreSQL database, dropped on close.
 */
record MemoryDatabase(String dialect, HikariDataSource dataSource, JdbcClient jdbc, Databases.@Nullable Fresh pg)
        implements AutoCloseable {

    static MemoryDatabase sqlite() throws IOException {
        Path file = Files.createTempDirectory("tandem-memory-").resolve("tandem.db");
        return open("sqlite", "jdbc:sqlite:" + file
                + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true", null);
    }

    static MemoryDatabase postgres() {
        Databases.Fresh pg = Databases.freshPostgres();
        return open("postgresql", pg.url(), pg);
    }

    private static MemoryDatabase open(String dialect, String url, Databases.@Nullable Fresh pg) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new MemoryDatabase(dialect, ds, JdbcClient.create(ds), pg);
    }

    @Override
    public void close() {
        Closing.all(dataSource, pg);
    }
}
