package dev.tandem.identity.internal;

import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.ApiKeys;
import dev.tandem.identity.IdentityProperties;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link ApiKeys} over the {@code api_keys} table with a short-lived cache of verified keys. */
@Component
class JdbcApiKeys implements ApiKeys {

    private static final int MAX_CACHED = 100_000;
    private static final int MAX_SECRET_LENGTH = 256;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final long ttlMillis;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(ApiKeyPrincipal principal, long expiresAt) {
    }

    JdbcApiKeys(JdbcClient jdbc, Clock clock, IdentityProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttlMillis = properties.keyCacheTtl().toMillis();
    }

    @Override
    public Optional<ApiKeyPrincipal> authenticate(String secret) {
        if (secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
            return Optional.empty();
        }
        String hash = SecretKeys.hash(secret);
        long now = clock.millis();
        Cached cached = cache.get(hash);
        if (cached != null && cached.expiresAt() > now) {
            return Optional.of(cached.principal());
        }
        Optional<ApiKeyPrincipal> found = jdbc.sql("""
                        SELECT id, organization_id, name, prefix, role FROM api_keys
                        WHERE secret_hash = :hash AND revoked_at IS NULL""")
                .param("hash", hash)
                .query((rs, i) -> new ApiKeyPrincipal(rs.getString("id"), rs.getString("organization_id"),
                        rs.getString("name"), rs.getString("prefix"), "admin".equals(rs.getString("role"))))
                .optional();
        if (found.isPresent()) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(hash, new Cached(found.get(), now + ttlMillis));
        } else {
            cache.remove(hash);
        }
        return found;
    }
}
