package dev.tandem.store;

import dev.tandem.companion.Accounts;
import dev.tandem.companion.Profile;
import dev.tandem.store.StoreProperties.Minors.AgeRule;
import dev.tandem.store.purchase.AccountRows;
import dev.tandem.store.purchase.PurchaseRows;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Spending limits, checked before money moves and again when a purchase is verified: caps by age (from the birth
 * date the person declared; {@code tandem.store.minors.*}, China's rules by default) and a monthly cap any person
 * may set on themselves. Limits are kept in one currency ({@code tandem.store.limits.currency}, CNY by default); a
 * price in another currency is converted with {@code tandem.store.limits.exchange-rates} and rounded up, so a
 * conversion never lets more through. A price whose currency has no rate is refused to anyone with a limit. A month
 * is a calendar month in UTC, counted from the purchase dates of payments that were not refunded; ages are taken
 * on today's date in UTC. Thread-safe.
 */
@Service
public class SpendingLimits {

    /**
     * Whether a purchase fits.
     *
     * @param allowed   true when it fits every limit
     * @param message   why not, written for the buyer; empty when allowed
     * @param converted its price in the limits' currency, or null when it cannot be converted
     */
    public record Verdict(boolean allowed, String message, @Nullable Long converted) {
    }

    /**
     * Where a person stands this month, in the limits' currency.
     *
     * @param age            full years today
     * @param perPurchase    their age's cap on one purchase, or null when their age has none
     * @param perMonth       their age's monthly cap, or null
     * @param ownMonthlyCap  the cap they set themselves, or null
     * @param spent          paid this month (refunds not counted)
     * @param left           what the tightest monthly cap leaves, or null when none applies
     */
    public record Status(int age, @Nullable Amount perPurchase, @Nullable Amount perMonth,
            @Nullable Amount ownMonthlyCap, Amount spent, @Nullable Amount left) {
    }

    private static final long MOST = 1_000_000_000_000L;

    private final Accounts accounts;
    private final PurchaseRows purchases;
    private final AccountRows store;
    private final StoreProperties properties;
    private final Clock clock;

    SpendingLimits(Accounts accounts, PurchaseRows purchases, AccountRows store, StoreProperties properties,
            Clock clock) {
        this.accounts = accounts;
        this.purchases = purchases;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** The currency limits are kept in. */
    public String currency() {
        return properties.limits().currency();
    }

    /** Whether {@code quantity} of {@code product} fits the person's limits now. */
    public Verdict evaluate(String personId, Product product, int quantity) {
        Amount price = new Amount(Math.multiplyExact(product.price(), quantity), product.currency());
        OptionalLong converted = convert(price);
        Long amount = converted.isPresent() ? converted.getAsLong() : null;
        Optional<Profile> profile = accounts.profile(personId);
        if (profile.isEmpty()) {
            return new Verdict(false, "Purchases need an app profile with your birth date; sign up in the app first.",
                    amount);
        }
        int age = profile.get().age(accounts.today());
        Optional<AgeRule> rule = properties.minors().ruleFor(age);
        Optional<Long> own = store.monthlyCap(personId);
        if (rule.isEmpty() && own.isEmpty()) {
            return new Verdict(true, "", amount);
        }
        if (rule.isPresent() && rule.get().perPurchase() == 0 && rule.get().perMonth() == 0) {
            return new Verdict(false, "You are " + age + ": there are no purchases under " + rule.get().under() + ".",
                    amount);
        }
        if (amount == null) {
            return new Verdict(false, "Prices in " + price.currency() + " cannot be checked against your spending "
                    + "limit here (no exchange rate to " + currency() + " is configured), so " + product.name()
                    + " cannot be bought.", null);
        }
        String cost = product.name() + (quantity > 1 ? " × " + quantity : "") + " costs " + money(amount);
        long spent = spentThisMonth(personId);
        if (rule.isPresent()) {
            AgeRule r = rule.get();
            if (amount > r.perPurchase()) {
                return new Verdict(false, "You are " + age + ": one purchase is limited to " + money(r.perPurchase())
                        + "; " + cost + ".", amount);
            }
            if (spent + amount > r.perMonth()) {
                return new Verdict(false, "You are " + age + ": purchases are limited to " + money(r.perMonth())
                        + " a month; " + money(spent) + " spent this month, so " + money(Math.max(0, r.perMonth()
                        - spent)) + " is left and " + cost + ".", amount);
            }
        }
        if (own.isPresent() && spent + amount > own.get()) {
            return new Verdict(false, "You set your own limit of " + money(own.get()) + " a month; " + money(spent)
                    + " spent this month, so " + money(Math.max(0, own.get() - spent)) + " is left and " + cost
                    + ".", amount);
        }
        return new Verdict(true, "", amount);
    }


    public Status status(String personId) {
        Profile profile = accounts.profile(personId).orElseThrow(() -> new PurchaseException(
                PurchaseException.Reason.INVALID, null, "Purchases need an app profile with your birth date."));
        int age = profile.age(accounts.today());
        Optional<AgeRule> rule = properties.minors().ruleFor(age);
        Optional<Long> own = store.monthlyCap(personId);
        long spent = spentThisMonth(personId);
        Long tightest = null;
        if (rule.isPresent()) {
            tightest = rule.get().perMonth();
        }
        if (own.isPresent()) {
            tightest = tightest == null ? own.get() : Math.min(tightest, own.get());
        }
        return new Status(age, rule.map(r -> amount(r.perPurchase())).orElse(null),
                rule.map(r -> amount(r.perMonth())).orElse(null), own.map(this::amount).orElse(null), amount(spent),
                tightest == null ? null : amount(Math.max(0, tightest - spent)));
    }

    /**
     * Sets the person's own monthly cap in minor units of {@link #currency()}; null removes it. It applies at
     * once, also when raised.
     */
    public void setMonthlyCap(String personId, @Nullable Long cap) {
        if (cap != null && (cap < 0 || cap > MOST)) {
            throw new PurchaseException(PurchaseException.Reason.INVALID, null, "A monthly limit must be between "
                    + money(0) + " and " + money(MOST) + ".");
        }
        store.monthlyCap(personId, cap);
    }

    /** {@code price} in minor units of the limits' currency, rounded up; empty when no rate is configured. */
    public OptionalLong convert(Amount price) {
        if (price.currency().equals(currency())) {
            return OptionalLong.of(price.minor());
        }
        BigDecimal rate = properties.limits().exchangeRates().get(price.currency());
        if (rate == null) {
            return OptionalLong.empty();
        }
        BigDecimal major = BigDecimal.valueOf(price.minor()).divide(BigDecimal.valueOf(Amount.scale(price.currency())));
        return OptionalLong.of(major.multiply(rate).multiply(BigDecimal.valueOf(Amount.scale(currency())))
                .setScale(0, RoundingMode.CEILING).longValueExact());
    }

    /** Paid this calendar month (UTC), in minor units of the limits' currency. */
    public long spentThisMonth(String personId) {
        LocalDate first = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1);
        long from = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return purchases.spent(personId, from, to);
    }

    private Amount amount(long minor) {
        return new Amount(minor, currency());
    }

    private String money(long minor) {
        return amount(minor).format();
    }
}
