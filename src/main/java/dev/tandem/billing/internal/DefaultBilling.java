package dev.tandem.billing.internal;

import dev.tandem.billing.Admission;
import dev.tandem.billing.Billing;
import dev.tandem.billing.BillingException;
import dev.tandem.billing.BillingProfile;
import dev.tandem.billing.BillingProperties;
import dev.tandem.billing.CallRequest;
import dev.tandem.billing.Metered;
import dev.tandem.billing.Money;
import dev.tandem.billing.Rates;
import dev.tandem.billing.Settlement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link Billing} on the ledger: admission holds against credit leases, settlement goes through group commit. */
@Component
class DefaultBilling implements Billing {

    private final BillingProfiles profiles;
    private final PriceCatalog prices;
    private final CreditLeases leases;
    private final LedgerWriter writer;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final RateLimiter limiter;
    /** What each admitted call holds in the rate-limit counters, until it is settled. */
    private final Map<String, RateLimiter.Reservation> reservations = new ConcurrentHashMap<>();
    private final EngineThroughput throughput = new EngineThroughput();

    private final boolean metering;

    DefaultBilling(BillingProfiles profiles, PriceCatalog prices, CreditLeases leases, LedgerWriter writer,
            JdbcClient jdbc, Clock clock, RateLimiter limiter, BillingProperties properties) {
        this.metering = properties.metering();
        if (!metering) {
            LoggerFactory.getLogger(DefaultBilling.class).warn("METERING IS OFF (tandem.billing.metering=false): "
                    + "calls are neither rate-limited, charged nor recorded. Use this only to measure metering.");
        }
        this.limiter = limiter;
        this.profiles = profiles;
        this.prices = prices;
        this.leases = leases;
        this.writer = writer;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Admission admit(CallRequest call) {
        if (!metering) {
            return new Admission(call, 0, Rates.FREE, Rates.FREE, null, null);
        }
        BillingProfiles.Profile profile = profiles.profile(call.organizationId());
        Rates price = prices.price(call.model()).scaled(profile.priceMultiplierBp());
        Rates cost = prices.cost(call.model());
        long most = price.amount(call.maxInputTokens(), 0, call.maxOutputTokens());
        RateLimiter.Reservation limited = limiter.admit(call, profile.rpm(), profile.tpm(), most, clock.millis());
        if (!profile.prepaid() || most == 0) {
            return admitted(call, 0, price, cost, null, limited);
        }
        CreditLeases.Lease lease;
        try {
            lease = leases.hold(call.organizationId(), most);
        } catch (RuntimeException e) {
            cancel(limited);
            throw e;
        }
        if (lease == null) {
            cancel(limited);
            throw new BillingException(BillingException.Kind.INSUFFICIENT_BALANCE,
                    "Your organization's credit balance is too low for this request: it may cost up to $"
                            + Money.format(most) + " and $" + Money.format(balance(call.organizationId()))
                            + " is available. Add credits, or lower max_tokens.");
        }
        return admitted(call, most, price, cost, lease.id, limited);
    }

    private Admission admitted(CallRequest call, long held, Rates price, Rates cost, @Nullable String leaseId,
            RateLimiter.@Nullable Reservation limited) {
        if (call.machineCostPerHour() > 0) {
            throughput.started(call.model(), clock.millis());
        }
        if (limited == null) {
            return new Admission(call, held, price, cost, leaseId, null);
        }
        reservations.put(call.requestId(), limited);
        return new Admission(call, held, price, cost, leaseId, limited.status());
    }

    private void cancel(RateLimiter.@Nullable Reservation limited) {
        if (limited != null) {
            limiter.cancel(limited);
        }
    }

    @Override
    public Settlement settle(Admission admission, Metered metered) {
        if (!metering) {
            return new Settlement(0, 0);
        }
        long machine = machineCost(admission.call(), metered);
        long price = 0;
        long cost = 0;
        if (metered.billable()) {
            price = admission.price().amount(metered.inputTokens(), metered.cachedTokens(), metered.outputTokens());
            Rates costRates = metered.cost() != null ? metered.cost() : admission.cost();
            cost = Math.addExact(costRates.amount(metered.inputTokens(), metered.cachedTokens(),
                    metered.outputTokens()), machine);
        }
        CompletableFuture<Settlement> done = new CompletableFuture<>();
        Settlement s;
        try {
            s = writer.submit(new LedgerWriter.Settle(admission, metered, price, cost, clock.millis(), done), done);
        } finally {
            if (admission.leaseId() != null) {
                leases.release(admission.leaseId(), admission.held(), done.isCompletedExceptionally() ? 0 : price);
            }
            RateLimiter.Reservation limited = reservations.remove(admission.call().requestId());
            if (limited != null) {
                limiter.settle(limited, metered.inputTokens() + metered.outputTokens(), price);
            }
        }
        return s;
    }

    /** A local engine's share of its machine's hourly cost for this call (see {@link EngineThroughput}). */
    private long machineCost(CallRequest call, Metered metered) {
        if (call.machineCostPerHour() == 0) {
            return 0;
        }
        long tokens = metered.inputTokens() + metered.outputTokens();
        long rate = throughput.finished(call.model(), tokens, clock.millis());
        return EngineThroughput.machineCost(call.machineCostPerHour(), tokens, rate);
    }

    @Override
    public long balance(String organizationId) {
        return jdbc.sql("SELECT balance FROM ledger_accounts WHERE id = :id")
                .param("id", Accounts.credits(organizationId)).query(Long.class).optional().orElse(0L);
    }

    @Override
    public long held(String organizationId) {
        return jdbc.sql("SELECT balance FROM ledger_accounts WHERE id = :id")
                .param("id", Accounts.held(organizationId)).query(Long.class).optional().orElse(0L);
    }

    @Override
    public BillingProfile profile(String organizationId) {
        BillingProfiles.Profile p = profiles.profile(organizationId);
        return new BillingProfile(organizationId, p.prepaid(), p.priceMultiplierBp(), p.lowBalanceThreshold(),
                p.lowBalanceWebhook(), p.rpm(), p.tpm());
    }

    @Override
    public BillingProfile updateProfile(BillingProfile profile) {
        profiles.update(new BillingProfiles.Profile(profile.organizationId(), profile.prepaid(),
                profile.priceMultiplierBp(), profile.lowBalanceThreshold(), profile.lowBalanceWebhook(), profile.rpm(),
                profile.tpm()));
        return profile(profile.organizationId());
    }

    @Override
    public long grant(String organizationId, long amount, String idempotencyKey, String memo) {
        if (amount <= 0) {
            throw new BillingException(BillingException.Kind.INVALID,
                    "a grant must be a positive amount, was " + Money.format(amount));
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        return writer.submit(new LedgerWriter.Grant(organizationId, amount, "grant:" + idempotencyKey, memo,
                clock.millis(), done), done);
    }
}
