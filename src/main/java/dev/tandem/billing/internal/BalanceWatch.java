package dev.tandem.billing.internal;

import dev.tandem.billing.LowBalanceAlerts;
import dev.tandem.billing.Money;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Watches balances against low-balance thresholds. The ledger writer calls {@link #check} inside each transaction
 * that changed balances; an organization whose balance went below its threshold while armed is marked alerted and
 * gets an event in {@code webhook_deliveries}, in that same transaction, so an alert is decided exactly once
 * however many nodes settle. {@link WebhookSender} delivers it.
 */
@Component
class BalanceWatch implements LowBalanceAlerts {

    static final String EVENT = "organization.balance.low";

    private final JdbcClient jdbc;
    private final BillingProfiles profiles;
    private final WebhookSender sender;
    private final Clock clock;

    BalanceWatch(JdbcClient jdbc, BillingProfiles profiles, WebhookSender sender, Clock clock) {
        this.jdbc = jdbc;
        this.profiles = profiles;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * Alerts or re-arms the {@code organizations} whose balance changed, in the caller's transaction. Only those
     * with a threshold and a webhook cost a query.
     *
     * @return true when an alert was queued (call {@link #queued()} after the commit)
     */
    boolean check(Collection<String> organizations) {
        boolean queued = false;
        for (String org : organizations) {
            BillingProfiles.Profile p = profiles.profile(org);
            Long threshold = p.lowBalanceThreshold();
            String webhook = p.lowBalanceWebhook();
            if (threshold == null || webhook == null) {
                continue;
            }
            long balance = jdbc.sql("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts WHERE id IN (:c, :h)")
                    .param("c", Accounts.credits(org)).param("h", Accounts.held(org)).query(Long.class).single();
            if (balance >= threshold) {
                jdbc.sql("UPDATE billing_profiles SET low_balance_alerted = 0 WHERE organization_id = :o "
                        + "AND low_balance_alerted = 1").param("o", org).update();
                continue;
            }
            int armed = jdbc.sql("UPDATE billing_profiles SET low_balance_alerted = 1 WHERE organization_id = :o "
                    + "AND low_balance_alerted = 0").param("o", org).update();
            if (armed == 1) {
                long now = clock.millis();
                String id = "evt_" + LedgerWriter.newId();
                jdbc.sql("""
                                INSERT INTO webhook_deliveries (id, organization_id, event_type, url, body, status, attempts,
                                    next_attempt_at, created_at) VALUES (:id, :o, :type, :url, :body, 'pending', 0, :now, :now)""")
                        .param("id", id).param("o", org).param("type", EVENT).param("url", webhook)
                        .param("body", event(id, org, balance, threshold, now)).param("now", now).update();
                queued = true;
            }
        }
        return queued;
    }

    /** Wakes the sender for alerts just committed. */
    void queued() {
        sender.wake();
    }

    /** The event's JSON. Amounts are decimal strings and integer micro-units, as elsewhere in the API. */
    static String event(String id, String org, long balance, long threshold, long now) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + EVENT + "\",\"created\":" + now / 1000
                + ",\"data\":{\"organization_id\":\"" + org + "\",\"balance\":\"" + Money.format(balance)
                + "\",\"balance_micros\":" + balance + ",\"threshold\":\"" + Money.format(threshold)
                + "\",\"threshold_micros\":" + threshold + ",\"currency\":\"usd\"}}";
    }

    @Override
    public Settings settings(String organizationId) {
        profiles.profile(organizationId); // the default profile, if none yet
        return jdbc.sql("SELECT low_balance_threshold, low_balance_webhook, low_balance_webhook_secret, "
                        + "low_balance_alerted FROM billing_profiles WHERE organization_id = :o")
                .param("o", organizationId)
                .query((rs, i) -> new Settings(organizationId, rs.getObject(1) == null ? null : rs.getLong(1),
                        rs.getString(2), rs.getString(3), rs.getInt(4) == 1))
                .single();
    }

    @Override
    public Settings configure(String organizationId, @Nullable Long threshold, @Nullable String webhookUrl,
            boolean rotateSecret) {
        if (threshold != null && threshold < 0) {
            throw new IllegalArgumentException("a threshold must not be negative, was " + Money.format(threshold));
        }
        BillingProfiles.Profile p = profiles.profile(organizationId);
        profiles.update(new BillingProfiles.Profile(organizationId, p.prepaid(), p.priceMultiplierBp(), threshold,
                webhookUrl, p.rpm(), p.tpm()));
        if (rotateSecret) {
            jdbc.sql("UPDATE billing_profiles SET low_balance_webhook_secret = :s WHERE organization_id = :o")
                    .param("s", WebhookSignature.newSecret()).param("o", organizationId).update();
        }
        return settings(organizationId);
    }

    @Override
    public List<Delivery> deliveries(String organizationId, int limit) {
        return jdbc.sql("SELECT id, event_type, status, attempts, created_at, delivered_at, last_error "
                        + "FROM webhook_deliveries WHERE organization_id = :o ORDER BY created_at DESC, id LIMIT :n")
                .param("o", organizationId).param("n", limit)
                .query((rs, i) -> new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getLong(5), rs.getObject(6) == null ? null : rs.getLong(6), rs.getString(7)))
                .list();
    }
}
