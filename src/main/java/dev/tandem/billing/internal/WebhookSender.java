package dev.tandem.billing.internal;

import dev.tandem.billing.BillingProperties;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends the webhook events waiting in {@code webhook_deliveries}, off every request path: each node looks for due
 * ones every {@code alerts.poll} (and at once when it queued one), claims each with a conditional update so one
 * node sends it, and POSTs it signed ({@link WebhookSignature}) within {@code alerts.timeout}. A 2xx answer
 * delivers it; anything else is retried after {@code alerts.retry-backoff}, doubling, up to
 * {@code alerts.max-attempts}. A node that dies while sending leaves the claim to expire, and another node retries.
 * Redirects are not followed, and unless {@code alerts.allow-private-addresses} is set, a webhook whose host
 * resolves to a loopback, private or link-local address is refused, so alerts cannot be aimed inside Tandem's own
 * network.
 */
@Component
class WebhookSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final BillingProperties.Alerts settings;
    private final HttpClient http;
    private volatile @Nullable ScheduledExecutorService timer;
    private volatile @Nullable ExecutorService senders;

    WebhookSender(JdbcClient jdbc, Clock clock, BillingProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = properties.alerts();
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private record Due(String id, String organizationId, String url, String body, int attempts, long nextAttemptAt) {
    }

    /** A reason not to try again. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Looks for due deliveries now rather than at the next poll. */
    void wake() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            try {
                t.execute(this::pollQuietly);
            } catch (RejectedExecutionException stopping) {
                // the next start polls
            }
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("webhook deliveries could not be read: {}", e.getMessage());
        }
    }

    void poll() {
        ExecutorService s = senders;
        if (s == null) {
            return;
        }
        long now = clock.millis();
        List<Due> due = jdbc.sql("SELECT id, organization_id, url, body, attempts, next_attempt_at FROM "
                        + "webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= :now "
                        + "ORDER BY next_attempt_at LIMIT 50")
                .param("now", now)
                .query((rs, i) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getLong(6)))
                .list();
        long claimedUntil = now + settings.timeout().toMillis() + 60_000;
        for (Due d : due) {
            int claimed = jdbc.sql("UPDATE webhook_deliveries SET next_attempt_at = :until WHERE id = :id "
                            + "AND status = 'pending' AND next_attempt_at = :seen")
                    .param("until", claimedUntil).param("id", d.id()).param("seen", d.nextAttemptAt()).update();
            if (claimed == 1) {
                s.execute(() -> deliver(d));
            }
        }
    }

    private void deliver(Due d) {
        String error;
        boolean permanent = false;
        try {
            URI uri = URI.create(d.url());
            if (!settings.allowPrivateAddresses()) {
                refusePrivate(uri);
            }
            byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                    .header("content-type", "application/json").header("user-agent", "Tandem-Webhooks/1")
                    .header("tandem-event-id", d.id())
                    .header(WebhookSignature.HEADER, WebhookSignature.header(secret(d.organizationId()),
                            clock.millis() / 1000, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                jdbc.sql("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, "
                                + "delivered_at = :now, last_error = NULL WHERE id = :id")
                        .param("now", clock.millis()).param("id", d.id()).update();
                log.info("webhook {} delivered to {}", d.id(), uri.getHost());
                return;
            }
            error = "HTTP " + status;
        } catch (Refused e) {
            error = e.getMessage();
            permanent = true;
        } catch (IllegalArgumentException e) {
            error = "not a usable URL: " + e.getMessage();
            permanent = true;
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // stopping: the claim expires and a node retries
        } catch (RuntimeException e) {
            error = e.toString();
        }
        failed(d, error, permanent);
    }

    private void failed(Due d, String error, boolean permanent) {
        int attempts = d.attempts() + 1;
        boolean giveUp = permanent || attempts >= settings.maxAttempts();
        long wait = settings.retryBackoff().toMillis() << Math.min(20, attempts - 1);
        String message = error.length() > 400 ? error.substring(0, 400) : error;
        jdbc.sql("UPDATE webhook_deliveries SET status = :status, attempts = :attempts, next_attempt_at = :next, "
                        + "last_error = :error WHERE id = :id")
                .param("status", giveUp ? "failed" : "pending").param("attempts", attempts)
                .param("next", clock.millis() + wait).param("error", message).param("id", d.id()).update();
        log.warn("webhook {} attempt {} failed ({}){}", d.id(), attempts, message, giveUp ? "; giving up" : "");
    }

    /** The organization's signing secret; one is made for webhooks set before secrets existed. */
    private String secret(String organizationId) {
        jdbc.sql("UPDATE billing_profiles SET low_balance_webhook_secret = :s WHERE organization_id = :o "
                + "AND low_balance_webhook_secret IS NULL").param("s", WebhookSignature.newSecret())
                .param("o", organizationId).update();
        return jdbc.sql("SELECT low_balance_webhook_secret FROM billing_profiles WHERE organization_id = :o")
                .param("o", organizationId).query(String.class).single();
    }

    private static void refusePrivate(URI uri) throws Refused {
        String host = uri.getHost();
        if (host == null) {
            throw new Refused("refused: the webhook URL has no host");
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (privateAddress(a)) {
                    throw new Refused("refused: " + host + " resolves to the private address " + a.getHostAddress()
                            + " (set TANDEM_WEBHOOK_ALLOW_PRIVATE=true to allow)");
                }
            }
        } catch (UnknownHostException e) {
            throw new Refused("refused: unknown host " + host);
        }
    }

    /** Loopback, unspecified, private (RFC 1918, IPv6 unique local), shared (100.64/10), link-local or multicast. */
    static boolean privateAddress(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        }
        return (b[0] & 0xfe) == 0xfc;
    }

    @Override
    public void start() {
        senders = Executors.newVirtualThreadPerTaskExecutor();
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("webhooks").daemon(true).factory());
        long period = Math.max(50, settings.poll().toMillis());
        t.scheduleWithFixedDelay(this::pollQuietly, period, period, TimeUnit.MILLISECONDS);
        timer = t;
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        ExecutorService s = senders;
        timer = null;
        senders = null;
        if (t != null) {
            t.shutdownNow();
        }
        if (s != null) {
            s.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
