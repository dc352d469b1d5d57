package dev.tandem.billing;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Low-balance alerts: when a settlement takes an organization's balance (credits available plus credits on hold)
 * below its threshold, Tandem POSTs one JSON event to the organization's webhook, and no other until the balance
 * has been at or above the threshold again (a top-up re-arms the alert, as does changing the threshold or URL).
 *
 * <p>The event is decided in the settlement's transaction and stored; any node sends it, off the request path,
 * within a bounded timeout, retrying with doubling waits. Each delivery is signed:
 * {@code tandem-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the signing secret>}.
 * The signing secret is made when a webhook is first set and stays until rotated; it only signs alerts.
 * Thread-safe.
 */
public interface LowBalanceAlerts {

    Settings settings(String organizationId);

    /**
     * Sets (or with nulls, clears) the threshold and webhook.
     *
     * @param rotateSecret replace the signing secret with a new one
     */
    Settings configure(String organizationId, @Nullable Long threshold, @Nullable String webhookUrl,
            boolean rotateSecret);

    /** The organization's latest deliveries, newest first. */
    List<Delivery> deliveries(String organizationId, int limit);

    /**
     * An organization's alert.
     *
     * @param threshold     micro-units, or null
     * @param signingSecret the key of the signatures, or null before a webhook was set
     * @param alerted       true when the alert fired and the balance has not recovered since
     */
    record Settings(String organizationId, @Nullable Long threshold, @Nullable String webhookUrl,
            @Nullable String signingSecret, boolean alerted) {
        public Settings {
            Objects.requireNonNull(organizationId, "organizationId");
        }
    }

    /**
     * One webhook event and how its delivery went.
     *
     * @param status {@code pending}, {@code delivered} or {@code failed} (gave up)
     */
    record Delivery(String id, String eventType, String status, int attempts, long createdAt,
            @Nullable Long deliveredAt, @Nullable String lastError) {
    }
}
