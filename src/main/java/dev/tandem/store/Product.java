package dev.tandem.store;

import java.util.Currency;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One thing the shop sells, as configured in {@code tandem.store.products}: a gem pack ({@link ProductKind#CONSUMABLE},
 * {@code gems} paid gems per unit) or a monthly membership ({@link ProductKind#SUBSCRIPTION} with a {@link Plan}).
 * The price is what the shop shows and what spending limits count, in minor units of {@code currency} (fen for
 * CNY, cents for USD); a store may charge a local price of its own, which is the store's business. Each store
 * names the product by its own id; a blank id means the product is not sold through that store.
 *
 * <p>Immutable; the constructor checks every field and names the product and field at fault.
 *
 * @param id              our id, used in URLs and records ({@code gems-300}); letters, digits, '.', '_' and '-'
 * @param kind            pack or membership
 * @param name            what the shop calls it
 * @param gems            paid gems per unit of a pack; 0 for a membership
 * @param price           minor units of {@code currency}, at least 1
 * @param currency        ISO 4217 code ({@code CNY})
 * @param appleProductId  the App Store Connect product id, or blank
 * @param googleProductId the Play Console product id, or blank
 * @param stripePriceId   Stripe's price ({@code price_...}) for web checkout, or blank
 * @param plan            a membership's perks; required for a subscription, absent for a pack
 */
public record Product(String id, ProductKind kind, String name, @DefaultValue("0") long gems, long price,
        String currency, @DefaultValue("") String appleProductId, @DefaultValue("") String googleProductId,
        @DefaultValue("") String stripePriceId, @Nullable Plan plan) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /**
     * A membership's perks, for as long as it is paid (or in a store's grace period).
     *
     * @param dailyGems        free gems the member may claim once per UTC day; 0: none
     * @param recalledMemories long-term memories recalled into each reply's prompt (the app's own is 6); 0: the
     *                         app's
     * @param recentTurns      chat turns kept verbatim in the prompt (the app's own is
     *                         {@code tandem.companion.recent-turns}); 0: the app's
     * @param alternatives     alternatives (regenerations) one reply may have (the app's own is 8); 0: the app's
     * @param model            the catalog model members' replies are sent to: point it at channels reserved for
     *                         members, so that they never queue behind everyone else; blank: the app's model
     * @param priority         whether members' replies go ahead of everyone else's in the model's queue (the local
     *                         engine's slots and every channel's concurrency limit)
     */
    public record Plan(@DefaultValue("0") long dailyGems, @DefaultValue("0") int recalledMemories,
            @DefaultValue("0") int recentTurns, @DefaultValue("0") int alternatives, @DefaultValue("") String model,
            @DefaultValue("false") boolean priority) {

        public Plan {
            if (dailyGems < 0 || dailyGems > 1_000_000) {
                throw new IllegalArgumentException("plan daily-gems must be 0 to 1000000, was " + dailyGems);
            }
            if (recalledMemories < 0 || recalledMemories > 100) {
                throw new IllegalArgumentException("plan recalled-memories must be 0 to 100, was " + recalledMemories);
            }
            if (recentTurns < 0 || recentTurns > 1000) {
                throw new IllegalArgumentException("plan recent-turns must be 0 to 1000, was " + recentTurns);
            }
            if (alternatives < 0 || alternatives > 100) {
                throw new IllegalArgumentException("plan alternatives must be 0 to 100, was " + alternatives);
            }
            model = model == null ? "" : model.strip();
        }
    }

    public Product {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("tandem.store.products id must have 1 to 100 letters, digits, '.', '_' "
                    + "or '-', was '" + id + "'");
        }
        Objects.requireNonNull(kind, () -> "product " + id + ": kind (consumable or subscription) is required");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("product " + id + ": name must not be blank");
        }
        if (price < 1) {
            throw new IllegalArgumentException("product " + id + ": price must be at least 1 minor unit, was " + price);
        }
        try {
            currency = Currency.getInstance(Objects.requireNonNull(currency, "currency").strip()).getCurrencyCode();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("product " + id + ": currency must be an ISO 4217 code such as CNY, "
                    + "was '" + currency + "'");
        }
        appleProductId = appleProductId == null ? "" : appleProductId.strip();
        googleProductId = googleProductId == null ? "" : googleProductId.strip();
        stripePriceId = stripePriceId == null ? "" : stripePriceId.strip();
        if (kind == ProductKind.CONSUMABLE) {
            if (gems < 1) {
                throw new IllegalArgumentException("product " + id + ": a gem pack must grant at least 1 gem, was "
                        + gems);
            }
            if (plan != null) {
                throw new IllegalArgumentException("product " + id + ": a gem pack has no plan (perks are for "
                        + "subscriptions)");
            }
        } else {
            if (plan == null) {
                throw new IllegalArgumentException("product " + id + ": a subscription needs its plan (perks)");
            }
            if (gems != 0) {
                throw new IllegalArgumentException("product " + id + ": a subscription grants no gems on purchase "
                        + "(use plan.daily-gems), was " + gems);
            }
        }
    }

    /** The price of one unit. */
    public Amount amount() {
        return new Amount(price, currency);
    }

    /** This product's id at {@code store}; blank when it is not sold there. */
    public String storeProductId(Store store) {
        return switch (store) {
            case APPLE -> appleProductId;
            case GOOGLE_PLAY -> googleProductId;
            case STRIPE -> stripePriceId;
        };
    }

    /** Whether {@code store} sells it. */
    public boolean soldAt(Store store) {
        return !storeProductId(store).isEmpty();
    }

    /** A membership's plan; {@link IllegalStateException} for a pack. */
    public Plan requirePlan() {
        if (plan == null) {
            throw new IllegalStateException("product " + id + " is a gem pack, not a membership");
        }
        return plan;
    }
}
