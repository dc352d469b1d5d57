package dev.tandem.billing;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an organization is billed.
 *
 * @param organizationId      the organization
 * @param prepaid             true: calls need credits; false: metered and never refused (postpaid)
 * @param priceMultiplierBp   its price multiplier in basis points (10,000 = list price; 8,000 = 20% off)
 * @param lowBalanceThreshold micro-units under which the low-balance webhook is called, or null
 * @param lowBalanceWebhook   where to POST the alert, or null
 * @param rpm                 requests per minute of the whole organization, or null for the platform default
 * @param tpm                 tokens per minute of the whole organization, or null for the platform default
 */
public record BillingProfile(String organizationId, boolean prepaid, int priceMultiplierBp,
        @Nullable Long lowBalanceThreshold, @Nullable String lowBalanceWebhook, @Nullable Integer rpm,
        @Nullable Integer tpm) {
    public BillingProfile {
        Objects.requireNonNull(organizationId, "organizationId");
        if (priceMultiplierBp < 0 || priceMultiplierBp > 100_000) {
            throw new IllegalArgumentException("price multiplier must be 0 to 100,000 basis points, was "
                    + priceMultiplierBp);
        }
        if (rpm != null && rpm <= 0 || tpm != null && tpm <= 0) {
            throw new IllegalArgumentException("rpm and tpm must be positive when set, were " + rpm + " and " + tpm);
        }
    }
}
