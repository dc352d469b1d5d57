package dev.tandem.gateway.http;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Model calls sent with an {@code Idempotency-Key} header run once per organization and key: the first is
 * answered and its reply kept for a day; a retry with the same key and the same request gets that reply again
 * (marked {@code idempotent-replayed: true}) without a second engine call or charge; a retry while the first still
 * runs gets a 409 to retry shortly; the same key with another request gets a 400. A first call whose client goes
 * away runs on to its end, so the retry gets the whole answer, billed once. A call that fails keeps nothing, so
 * its retry runs anew.
 */
@Component
class IdempotentCalls {

    private static final Duration KEEP = Duration.ofHours(24);
    /** How long a running call holds its key before another node may take over (its node died). */
    private static final Duration RUNNING_LOCK = Duration.ofMinutes(30);
    private static final int MAX_REPLY_BYTES = 8 << 20;
    private static final long CLEANUP_EVERY_MILLIS = 600_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AtomicLong nextCleanup = new AtomicLong();

    IdempotentCalls(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private record Row(String fingerprint, String status, String requestId, @Nullable Integer responseStatus,
            @Nullable String contentType, @Nullable String body, long lockedUntil, long expiresAt) {
    }

    void run(ApiExchange exchange, String key, GatewayHandler.Handler handler) throws IOException {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw ApiError.invalid("Idempotency-Key: 1 to 255 visible ASCII characters.", null);
        }
        String org = exchange.principal().organizationId();
        String fingerprint = fingerprint(exchange);
        long now = clock.millis();
        cleanup(now);
        if (!claim(org, key, fingerprint, exchange.requestId(), now)) {
            answerFromEarlier(exchange, org, key, fingerprint, now);
            return;
        }
        ApiExchange.Recording recording = exchange.record(MAX_REPLY_BYTES);
        boolean kept = false;
        try {
            handler.handle(exchange);
            if (recording.status > 0 && recording.status < 400) {
                jdbc.sql("""
                                UPDATE idempotent_requests SET status = 'done', response_status = :s, content_type = :ct,
                                    body = :body WHERE organization_id = :org AND idempotency_key = :k""")
                        .param("s", recording.status).param("ct", recording.contentType)
                        .param("body", recording.overflow ? null : new String(recording.bytes(), StandardCharsets.UTF_8))
                        .param("org", org).param("k", key).update();
                kept = true;
            }
        } finally {
            if (!kept) {
                jdbc.sql("DELETE FROM idempotent_requests WHERE organization_id = :org AND idempotency_key = :k")
                        .param("org", org).param("k", key).update();
            }
        }
    }

    /** Takes the key for this call: a new one, an expired one, or one whose running call was abandoned. */
    private boolean claim(String org, String key, String fingerprint, String requestId, long now) {
        int inserted = jdbc.sql("""
                        INSERT INTO idempotent_requests (organization_id, idempotency_key, fingerprint, status, request_id,
                            locked_until, created_at, expires_at)
                        VALUES (:org, :k, :fp, 'running', :rid, :lock, :now, :exp)
                        ON CONFLICT (organization_id, idempotency_key) DO NOTHING""")
                .param("org", org).param("k", key).param("fp", fingerprint).param("rid", requestId)
                .param("lock", now + RUNNING_LOCK.toMillis()).param("now", now).param("exp", now + KEEP.toMillis())
                .update();
        if (inserted == 1) {
            return true;
        }
        return jdbc.sql("""
                        UPDATE idempotent_requests SET fingerprint = :fp, status = 'running', request_id = :rid,
                            response_status = NULL, content_type = NULL, body = NULL, locked_until = :lock,
                            created_at = :now, expires_at = :exp
                        WHERE organization_id = :org AND idempotency_key = :k
                          AND (expires_at < :now OR (status = 'running' AND locked_until < :now))""")
                .param("org", org).param("k", key).param("fp", fingerprint).param("rid", requestId)
                .param("lock", now + RUNNING_LOCK.toMillis()).param("now", now).param("exp", now + KEEP.toMillis())
                .update() == 1;
    }

    private void answerFromEarlier(ApiExchange exchange, String org, String key, String fingerprint, long now)
            throws IOException {
        Row row = jdbc.sql("""
                        SELECT fingerprint, status, request_id, response_status, content_type, body, locked_until, expires_at
                        FROM idempotent_requests WHERE organization_id = :org AND idempotency_key = :k""")
                .param("org", org).param("k", key)
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4) == null ? null : rs.getInt(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                        rs.getLong(8)))
                .optional().orElse(null);
        if (row == null) {
            throw new ApiError(ErrorKind.CONFLICT, "The earlier request with this Idempotency-Key just ended "
                    + "without an answer to keep; retry it.", null, Duration.ofSeconds(1));
        }
        if (!row.fingerprint().equals(fingerprint)) {
            throw ApiError.invalid("This Idempotency-Key was used for a different request (another endpoint or "
                    + "body); use a new key for a new request.", null);
        }
        if (row.status().equals("running")) {
            throw new ApiError(ErrorKind.CONFLICT, "A request with this Idempotency-Key is still being answered; "
                    + "retry shortly to get its answer.", null, Duration.ofSeconds(1));
        }
        if (row.body() == null || row.responseStatus() == null) {
            throw new ApiError(ErrorKind.CONFLICT, "The request with this Idempotency-Key was answered, but its "
                    + "answer was too large to keep for replay.", null, null);
        }
        byte[] bytes = row.body().getBytes(StandardCharsets.UTF_8);
        var response = exchange.response();
        response.setHeader("x-request-id", row.requestId());
        response.setHeader("request-id", row.requestId());
        response.setHeader("idempotent-replayed", "true");
        response.setStatus(row.responseStatus());
        response.setContentType(row.contentType());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String fingerprint(ApiExchange exchange) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(exchange.request().getRequestURI().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(exchange.body());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void cleanup(long now) {
        long next = nextCleanup.get();
        if (now >= next && nextCleanup.compareAndSet(next, now + CLEANUP_EVERY_MILLIS)) {
            jdbc.sql("DELETE FROM idempotent_requests WHERE expires_at < :now AND status = 'done'")
                    .param("now", now).update();
        }
    }
}
