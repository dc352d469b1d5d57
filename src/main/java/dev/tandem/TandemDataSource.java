package dev.tandem;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: a SQLite file in the data directory by default ({@code TANDEM_DATA_DIR}), or the JDBC URL in
 * {@code TANDEM_DB_URL} (PostgreSQL). Flyway migrates either on start with the same scripts.
 */
@Configuration(proxyBeanMethods = false)
class TandemDataSource {

    private static final Logger log = LoggerFactory.getLogger(TandemDataSource.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(@Value("${tandem.data-dir}") Path dataDir, @Value("${tandem.db.url:}") String url,
            @Value("${tandem.db.user:}") String user, @Value("${tandem.db.password:}") String password,
            @Value("${tandem.db.pool-size:10}") int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tandem-db");
        if (url.isBlank()) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data directory " + dataDir.toAbsolutePath(), e);
            }
            Path file = dataDir.resolve("tandem.db").toAbsolutePath();
            // WAL lets readers run beside the one writer; busy_timeout makes writers queue instead of failing.
            config.setJdbcUrl("jdbc:sqlite:" + file
                    + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true");
            config.setMaximumPoolSize(Math.max(2, Math.min(poolSize, 8)));
            log.info("database: SQLite file {}", file);
        } else {
            config.setJdbcUrl(url);
            if (!user.isBlank()) {
                config.setUsername(user);
            }
            if (!password.isBlank()) {
                config.setPassword(password);
            }
            config.setMaximumPoolSize(poolSize);
            log.info("database: {}", url.replaceAll("password=[^&]*", "password=***"));
        }
        return new HikariDataSource(config);
    }
}
