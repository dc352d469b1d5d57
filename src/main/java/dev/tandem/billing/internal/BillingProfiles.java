package dev.tandem.billing.internal;

import dev.tandem.billing.BillingProperties;
import dev.tandem.identity.OrganizationCreated;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How each organization is billed (prepaid or unlimited, its discount), read through a short-lived cache. An
 * organization without a profile gets the configured default on first use; the owner's is unlimited.
 */
@Component
class BillingProfiles {

    /** An organization's billing terms. */
    record Profile(String organizationId, boolean prepaid, int priceMultiplierBp, @Nullable Long lowBalanceThreshold,
            @Nullable String lowBalanceWebhook, @Nullable Integer rpm, @Nullable Integer tpm) {
    }

    private record Cached(Profile profile, long until) {
    }

    private static final long TTL_MILLIS = 5_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String defaultMode;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    BillingProfiles(JdbcClient jdbc, Clock clock, BillingProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.defaultMode = mode(properties.defaultMode());
    }

    static String mode(String value) {
        return switch (value) {
            case "prepaid", "unlimited" -> value;
            default -> throw new IllegalArgumentException("billing mode must be prepaid or unlimited, was " + value);
        };
    }

    @EventListener
    void onOrganizationCreated(OrganizationCreated event) {
        create(event.organizationId(), event.owner() ? "unlimited" : defaultMode);
    }

    Profile profile(String organizationId) {
        long now = clock.millis();
        Cached c = cache.get(organizationId);
        if (c != null && c.until() > now) {
            return c.profile();
        }
        Profile p = load(organizationId);
        if (p == null) {
            create(organizationId, defaultMode);
            p = load(organizationId);
        }
        if (p == null) {
            throw new IllegalStateException("no billing profile for organization " + organizationId);
        }
        cache.put(organizationId, new Cached(p, now + TTL_MILLIS));
        return p;
    }

    void forget(String organizationId) {
        cache.remove(organizationId);
    }

    /**
     * Replaces an organization's terms. Changing the low-balance threshold or webhook re-arms the alert; setting a
     * webhook gives the organization a signing secret when it has none.
     */
    Profile update(Profile p) {
        profile(p.organizationId()); // creates the default first when there is none
        Profile before = load(p.organizationId());
        boolean alertChanged = before == null || !java.util.Objects.equals(before.lowBalanceThreshold(),
                p.lowBalanceThreshold()) || !java.util.Objects.equals(before.lowBalanceWebhook(), p.lowBalanceWebhook());
        jdbc.sql("""
                        UPDATE billing_profiles SET mode = :mode, price_multiplier_bp = :bp, low_balance_threshold = :t,
                            low_balance_webhook = :hook, rpm = :rpm, tpm = :tpm
                        WHERE organization_id = :org""")
                .param("mode", p.prepaid() ? "prepaid" : "unlimited").param("bp", p.priceMultiplierBp())
                .param("rpm", p.rpm()).param("tpm", p.tpm())
                .param("t", p.lowBalanceThreshold()).param("hook", p.lowBalanceWebhook())
                .param("org", p.organizationId()).update();
        if (alertChanged) {
            jdbc.sql("UPDATE billing_profiles SET low_balance_alerted = 0 WHERE organization_id = :org")
                    .param("org", p.organizationId()).update();
        }
        if (p.lowBalanceWebhook() != null) {
            jdbc.sql("UPDATE billing_profiles SET low_balance_webhook_secret = :s WHERE organization_id = :org "
                            + "AND low_balance_webhook_secret IS NULL")
                    .param("s", WebhookSignature.newSecret()).param("org", p.organizationId()).update();
        }
        forget(p.organizationId());
        return profile(p.organizationId());
    }

    private void create(String organizationId, String mode) {
        jdbc.sql("""
                        INSERT INTO billing_profiles (organization_id, mode, created_at) VALUES (:org, :mode, :at)
                        ON CONFLICT (organization_id) DO NOTHING""")
                .param("org", organizationId).param("mode", mode).param("at", clock.millis()).update();
    }

    private @Nullable Profile load(String organizationId) {
        return jdbc.sql("SELECT mode, price_multiplier_bp, low_balance_threshold, low_balance_webhook, rpm, tpm "
                        + "FROM billing_profiles WHERE organization_id = :org")
                .param("org", organizationId)
                .query((rs, i) -> new Profile(organizationId, "prepaid".equals(rs.getString(1)), rs.getInt(2),
                        rs.getObject(3) == null ? null : rs.getLong(3), rs.getString(4),
                        rs.getObject(5) == null ? null : rs.getInt(5), rs.getObject(6) == null ? null : rs.getInt(6)))
                .optional().orElse(null);
    }
}
