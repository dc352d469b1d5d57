package dev.tandem.identity.internal;

import dev.tandem.identity.Ids;
import dev.tandem.identity.ApiKeyInfo;
import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.ApiKeys;
import dev.tandem.identity.CreatedKey;
import dev.tandem.identity.IdentityProperties;
import dev.tandem.identity.KeyRole;
import dev.tandem.identity.KeySpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * {@link ApiKeys} over the {@code api_keys} table, with a short-lived cache of verified keys. Last-used times are
 * collected in memory and written once a minute, never on the request path.
 */
@Component
class JdbcApiKeys implements ApiKeys, SmartLifecycle {

    private static final int MAX_CACHED = 100_000;
    private static final int MAX_SECRET_LENGTH = 256;
    private static final String COLUMNS = "k.id, k.organization_id, k.name, k.prefix, k.role, k.created_at, k.revoked_at, "
            + "k.expires_at, k.allowed_models, k.spend_limit_daily, k.spend_limit_monthly, k.rpm, k.tpm, k.max_streams, "
            + "k.ip_allow, k.last_used_at, k.created_by, o.is_owner, o.models AS org_models, o.allow_fallbacks, "
            + "o.priority_tier";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ObjectMapper json;
    private final long ttlMillis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;
    private volatile boolean running;

    private record Cached(ApiKeyPrincipal principal, @Nullable Long expiresAt, long until) {
    }

    JdbcApiKeys(JdbcClient jdbc, Clock clock, IdentityProperties properties, ObjectMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
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
        if (cached == null || cached.until() <= now) {
            cached = jdbc.sql("SELECT " + COLUMNS + " FROM api_keys k JOIN organizations o ON o.id = k.organization_id "
                            + "WHERE k.secret_hash = :hash AND k.revoked_at IS NULL")
                    .param("hash", hash)
                    .query((rs, i) -> cached(rs, now))
                    .optional().orElse(null);
            if (cached == null) {
                cache.remove(hash);
                return Optional.empty();
            }
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(hash, cached);
        }
        if (cached.expiresAt() != null && cached.expiresAt() <= now) {
            return Optional.empty();
        }
        lastUsed.put(cached.principal().keyId(), now);
        return Optional.of(cached.principal());
    }

    private Cached cached(java.sql.ResultSet rs, long now) throws java.sql.SQLException {
        ApiKeyInfo info = info(rs);
        return new Cached(new ApiKeyPrincipal(info.id(), info.organizationId(), info.spec().name(), info.prefix(),
                info.spec().role(), rs.getInt("is_owner") == 1, info.spec(), parseList(rs.getString("org_models")),
                rs.getInt("allow_fallbacks") == 1, rs.getInt("priority_tier") == 1), info.spec().expiresAt(),
                now + ttlMillis);
    }

    @Override
    public Optional<ApiKeyPrincipal> principal(String keyId) {
        long now = clock.millis();
        String cacheKey = "id:" + keyId;
        Cached cached = cache.get(cacheKey);
        if (cached == null || cached.until() <= now) {
            cached = jdbc.sql("SELECT " + COLUMNS + " FROM api_keys k JOIN organizations o ON o.id = k.organization_id "
                            + "WHERE k.id = :id AND k.revoked_at IS NULL")
                    .param("id", keyId).query((rs, i) -> cached(rs, now)).optional().orElse(null);
            if (cached == null) {
                cache.remove(cacheKey);
                return Optional.empty();
            }
            cache.put(cacheKey, cached);
        }
        if (cached.expiresAt() != null && cached.expiresAt() <= now) {
            return Optional.empty();
        }
        lastUsed.put(keyId, now);
        return Optional.of(cached.principal());
    }

    @Override
    public CreatedKey create(String organizationId, KeySpec spec, @Nullable String createdBy) {
        String secret = SecretKeys.newSecret();
        String id = Ids.next("key");
        long now = clock.millis();
        jdbc.sql("""
                        INSERT INTO api_keys (id, organization_id, name, prefix, secret_hash, role, created_at, expires_at,
                            allowed_models, spend_limit_daily, spend_limit_monthly, rpm, tpm, max_streams, ip_allow,
                            created_by)
                        VALUES (:id, :org, :name, :prefix, :hash, :role, :at, :expires, :models, :daily, :monthly, :rpm,
                            :tpm, :streams, :ips, :by)""")
                .param("id", id).param("org", organizationId).param("name", spec.name())
                .param("prefix", SecretKeys.visiblePrefix(secret)).param("hash", SecretKeys.hash(secret))
                .param("role", spec.role().wire()).param("at", now).param("expires", spec.expiresAt())
                .param("models", list(spec.models())).param("daily", spec.spendLimitDaily())
                .param("monthly", spec.spendLimitMonthly()).param("rpm", spec.rpm()).param("tpm", spec.tpm())
                .param("streams", spec.maxStreams()).param("ips", list(spec.ipAllow())).param("by", createdBy)
                .update();
        return new CreatedKey(find(organizationId, id).orElseThrow(), secret);
    }

    @Override
    public List<ApiKeyInfo> list(String organizationId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys k JOIN organizations o ON o.id = k.organization_id "
                        + "WHERE k.organization_id = :org ORDER BY k.created_at")
                .param("org", organizationId).query((rs, i) -> info(rs)).list();
    }

    @Override
    public Optional<ApiKeyInfo> find(String organizationId, String keyId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys k JOIN organizations o ON o.id = k.organization_id "
                        + "WHERE k.organization_id = :org AND k.id = :id")
                .param("org", organizationId).param("id", keyId).query((rs, i) -> info(rs)).optional();
    }

    @Override
    public Optional<ApiKeyInfo> update(String organizationId, String keyId, KeySpec spec) {
        int n = jdbc.sql("""
                        UPDATE api_keys SET name = :name, role = :role, expires_at = :expires, allowed_models = :models,
                            spend_limit_daily = :daily, spend_limit_monthly = :monthly, rpm = :rpm, tpm = :tpm,
                            max_streams = :streams, ip_allow = :ips
                        WHERE organization_id = :org AND id = :id AND revoked_at IS NULL""")
                .param("name", spec.name()).param("role", spec.role().wire()).param("expires", spec.expiresAt())
                .param("models", list(spec.models())).param("daily", spec.spendLimitDaily())
                .param("monthly", spec.spendLimitMonthly()).param("rpm", spec.rpm()).param("tpm", spec.tpm())
                .param("streams", spec.maxStreams()).param("ips", list(spec.ipAllow()))
                .param("org", organizationId).param("id", keyId).update();
        if (n == 0) {
            return Optional.empty();
        }
        forget(keyId);
        return find(organizationId, keyId);
    }

    @Override
    public boolean revoke(String organizationId, String keyId) {
        int n = jdbc.sql("UPDATE api_keys SET revoked_at = :at WHERE organization_id = :org AND id = :id "
                        + "AND revoked_at IS NULL")
                .param("at", clock.millis()).param("org", organizationId).param("id", keyId).update();
        forget(keyId);
        return n > 0;
    }

    @Override
    public Optional<CreatedKey> rotate(String organizationId, String keyId) {
        Optional<ApiKeyInfo> old = find(organizationId, keyId).filter(k -> k.revokedAt() == null);
        if (old.isEmpty()) {
            return Optional.empty();
        }
        CreatedKey fresh = create(organizationId, old.get().spec(), old.get().createdBy());
        revoke(organizationId, keyId);
        return Optional.of(fresh);
    }

    /** Drops a key from this node's cache so that a change applies at once. */
    private void forget(String keyId) {
        cache.values().removeIf(c -> c.principal().keyId().equals(keyId));
    }

    private ApiKeyInfo info(ResultSet rs) throws SQLException {
        KeySpec spec = new KeySpec(rs.getString("name"), KeyRole.parse(rs.getString("role")),
                longOrNull(rs, "expires_at"), parseList(rs.getString("allowed_models")),
                longOrNull(rs, "spend_limit_daily"), longOrNull(rs, "spend_limit_monthly"), intOrNull(rs, "rpm"),
                intOrNull(rs, "tpm"), intOrNull(rs, "max_streams"), parseList(rs.getString("ip_allow")));
        return new ApiKeyInfo(rs.getString("id"), rs.getString("organization_id"), rs.getString("prefix"), spec,
                rs.getLong("created_at"), longOrNull(rs, "revoked_at"), longOrNull(rs, "last_used_at"),
                rs.getString("created_by"));
    }

    private static @Nullable Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static @Nullable Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private @Nullable String list(List<String> values) {
        return values.isEmpty() ? null : json.writeValueAsString(values);
    }

    private List<String> parseList(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(json.readValue(text, String[].class));
    }

    private void flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return;
        }
        Map<String, Long> batch = Map.copyOf(lastUsed);
        batch.forEach((id, at) -> lastUsed.remove(id, at));
        batch.forEach((id, at) -> jdbc.sql("UPDATE api_keys SET last_used_at = :at WHERE id = :id")
                .param("at", at).param("id", id).update());
    }

    @Override
    public void start() {
        running = true;
        flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("key-last-used").daemon(true)
                .factory());
        flusher.scheduleWithFixedDelay(() -> {
            try {
                flushLastUsed();
            } catch (RuntimeException ignored) {
                // written on the next round
            }
        }, 60, 60, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        running = false;
        flusher.shutdownNow();
        try {
            flushLastUsed();
        } catch (RuntimeException ignored) {
            // the database may be gone already
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 2500;
    }
}
