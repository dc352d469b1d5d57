package dev.tandem.billing;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call let in: the credits held for its most expensive outcome, and the rates it will be settled at (fixed at
 * admission, so a price change never reprices a call in flight).
 *
 * @param call    what was admitted
 * @param held    micro-units held for it (0 for organizations billed without prepaid credits)
 * @param price   what the organization pays per million tokens, its discount applied
 * @param cost    what Tandem pays per million tokens for this model's engine
 * @param leaseId the credit lease the hold was taken from, when one was
 * @param limits  where the call stands against its rate limits, when any apply
 */
public record Admission(CallRequest call, long held, Rates price, Rates cost, @Nullable String leaseId,
        @Nullable RateLimitStatus limits) {
    public Admission {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(cost, "cost");
    }
}
