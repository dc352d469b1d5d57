package dev.tandem.billing.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters in Redis, shared by every node pointed at it. Each {@link #tryAdd} is one Lua script, so checking and
 * adding across all of a call's limits is atomic on the server; corrections go out without waiting. All of a
 * call's keys carry the organization as a hash tag, so the script also runs on Redis Cluster.
 *
 * <p>When Redis cannot be reached, calls are let in uncounted (limits fail open, so an outage of the counter
 * store does not become an outage of the API) and a warning is logged at most every ten seconds; the connection
 * is retried in the background of later calls.
 */
final class RedisLimitCounters implements LimitCounters {

    private static final Logger log = LoggerFactory.getLogger(RedisLimitCounters.class);
    private static final long RETRY_CONNECT_MILLIS = 5_000;
    private static final long WARN_EVERY_MILLIS = 10_000;

    private final RedisClient client;
    private final String addScript = script("limits-add.lua");
    private final String adjustScript = script("limits-adjust.lua");
    private volatile @Nullable StatefulRedisConnection<String, String> connection;
    private volatile @Nullable String addSha;
    private volatile @Nullable String adjustSha;
    private final AtomicLong nextConnect = new AtomicLong();
    private final AtomicLong nextWarning = new AtomicLong();

    RedisLimitCounters(String url, Duration timeout) {
        this.client = RedisClient.create(url);
        this.client.setDefaultTimeout(timeout);
        connection();
    }

    @Override
    public Outcome tryAdd(Ask ask) {
        int n = ask.keys().length;
        String[] keys = new String[n + 1];
        keys[0] = ask.slotKey() != null ? ask.slotKey() : ask.keys().length > 0 ? ask.keys()[0] : "-";
        System.arraycopy(ask.keys(), 0, keys, 1, n);
        String[] args = new String[4 + 3 * n];
        args[0] = ask.slotKey() != null ? Integer.toString(ask.slotCap()) : "0";
        args[1] = ask.member();
        args[2] = Long.toString(ask.now());
        args[3] = Long.toString(ask.slotUntil());
        for (int i = 0; i < n; i++) {
            args[4 + 3 * i] = Long.toString(ask.limits()[i]);
            args[5 + 3 * i] = Long.toString(ask.amounts()[i]);
            args[6 + 3 * i] = Long.toString(ask.expireAt()[i]);
        }
        List<Object> reply = run(true, keys, args);
        if (reply == null) {
            return new Outcome(-1, new long[0], 0);
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = (Long) reply.get(i + 2);
        }
        return new Outcome(((Long) reply.get(0)).intValue(), values, (Long) reply.get(1));
    }

    @Override
    public void adjust(String[] keys, long[] deltas, @Nullable String slotKey, @Nullable String member) {
        if (keys.length == 0 && slotKey == null) {
            return;
        }
        String[] k = new String[keys.length + 1];
        k[0] = slotKey != null ? slotKey : keys[0];
        System.arraycopy(keys, 0, k, 1, keys.length);
        String[] args = new String[keys.length + 1];
        args[0] = slotKey != null && member != null ? member : "";
        for (int i = 0; i < keys.length; i++) {
            args[i + 1] = Long.toString(deltas[i]);
        }
        run(false, k, args);
    }

    @Override
    public void seed(String key, long value, long expireAt) {
        StatefulRedisConnection<String, String> c = connection();
        if (c == null) {
            return;
        }
        try {
            c.sync().set(key, Long.toString(value), io.lettuce.core.SetArgs.Builder.nx().pxAt(expireAt));
        } catch (RedisException e) {
            warn(e);
        }
    }

    /** Runs a script: waiting for its answer ({@code add}) or not; null when Redis could not be asked. */
    @SuppressWarnings("unchecked")
    private @Nullable List<Object> run(boolean add, String[] keys, String[] args) {
        StatefulRedisConnection<String, String> c = connection();
        if (c == null) {
            return null;
        }
        String sha = add ? addSha : adjustSha;
        try {
            if (add) {
                try {
                    return (List<Object>) c.sync().evalsha(sha, ScriptOutputType.MULTI, keys, args);
                } catch (RedisNoScriptException e) {
                    loadScripts(c); // the server restarted and forgot its scripts
                    return (List<Object>) c.sync().evalsha(addSha, ScriptOutputType.MULTI, keys, args);
                }
            }
            c.async().evalsha(sha, ScriptOutputType.INTEGER, keys, args).exceptionally(e -> {
                if (e instanceof RedisNoScriptException) {
                    c.async().eval(adjustScript, ScriptOutputType.INTEGER, keys, args);
                } else {
                    warn(e);
                }
                return null;
            });
            return null;
        } catch (RedisException e) {
            warn(e);
            return null;
        }
    }

    private @Nullable StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            return c;
        }
        long now = System.currentTimeMillis();
        long next = nextConnect.get();
        if (now < next || !nextConnect.compareAndSet(next, now + RETRY_CONNECT_MILLIS)) {
            return null;
        }
        synchronized (this) {
            if (connection != null) {
                return connection;
            }
            try {
                c = client.connect();
                loadScripts(c);
                connection = c;
                log.info("rate limits are counted in Redis");
                return c;
            } catch (RedisException e) {
                warn(e);
                return null;
            }
        }
    }

    private void loadScripts(StatefulRedisConnection<String, String> c) {
        addSha = c.sync().scriptLoad(addScript);
        adjustSha = c.sync().scriptLoad(adjustScript);
    }

    private void warn(Throwable e) {
        long now = System.currentTimeMillis();
        long next = nextWarning.get();
        if (now >= next && nextWarning.compareAndSet(next, now + WARN_EVERY_MILLIS)) {
            log.warn("Redis could not count rate limits; calls are let in uncounted until it answers: {}",
                    e.toString());
        }
    }

    private static String script(String name) {
        try (InputStream in = RedisLimitCounters.class.getResourceAsStream("/redis/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing script /redis/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
