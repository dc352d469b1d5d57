package dev.tandem.store;

import dev.tandem.billing.Gems;
import dev.tandem.companion.MembershipPerks;
import dev.tandem.store.purchase.MembershipRows;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * People's memberships and their perks, as the stores' notifications leave them: a membership carries its plan's
 * perks while paid (until its period ends), and during a store's grace period after a failed renewal; not while on
 * hold, expired or revoked. A person with several memberships gets the best of each perk. Implements the companion
 * app's {@link MembershipPerks}. Thread-safe.
 */
@Service
public class Memberships implements MembershipPerks {

    /** Where a membership stands. */
    public enum Standing {
        /** Paid until {@code expiresAt}. */
        ACTIVE,
        /** A renewal failed; perks stay until {@code graceEndsAt} while the store retries. */
        GRACE,
        /** Payment failed (or paused): no perks until a renewal. */
        ON_HOLD,
        EXPIRED,
        REVOKED
    }

    /**
     * One membership as a person sees it.
     *
     * @param plan      the plan it is for (absent if removed from the catalog since)
     * @param perks     whether it carries perks now
     */
    public record Membership(Store store, String productId, Optional<Product> plan, Standing standing,
            @Nullable Instant expiresAt, @Nullable Instant graceEndsAt, boolean autoRenew, Instant startedAt,
            boolean perks) {
    }

    private final MembershipRows rows;
    private final Catalog catalog;
    private final Gems gems;
    private final Clock clock;

    Memberships(MembershipRows rows, Catalog catalog, Gems gems, Clock clock) {
        this.rows = rows;
        this.catalog = catalog;
        this.gems = gems;
        this.clock = clock;
    }

    /** The person's memberships, newest first, those with perks first. */
    public List<Membership> list(String personId) {
        long now = clock.millis();
        return rows.byPerson(personId).stream()
                .map(r -> new Membership(r.store(), r.productId(), catalog.find(r.productId()),
                        Standing.valueOf(r.state().name()), instant(r.expiresAt()), instant(r.graceEndsAt()),
                        r.autoRenew(), Instant.ofEpochMilli(r.startedAt()), r.perksAt(now)))
                .sorted((a, b) -> Boolean.compare(b.perks(), a.perks())).toList();
    }

    /** The plans of the memberships that carry perks now. */
    public List<Product.Plan> activePlans(String personId) {
        return list(personId).stream().filter(Membership::perks).flatMap(m -> m.plan().stream())
                .map(Product::requirePlan).toList();
    }

    @Override
    public Perks of(String personId) {
        List<Membership> active = list(personId).stream().filter(Membership::perks).filter(m -> m.plan().isPresent())
                .toList();
        if (active.isEmpty()) {
            return Perks.NONE;
        }
        int recalled = 0;
        int turns = 0;
        int alternatives = 0;
        String model = null;
        boolean priority = false;
        for (Membership m : active) {
            Product.Plan plan = m.plan().orElseThrow().requirePlan();
            recalled = Math.max(recalled, plan.recalledMemories());
            turns = Math.max(turns, plan.recentTurns());
            alternatives = Math.max(alternatives, plan.alternatives());
            priority |= plan.priority();
            if (model == null && !plan.model().isEmpty()) {
                model = plan.model();
            }
        }
        return new Perks(active.getFirst().plan().orElseThrow().name(), recalled, turns, alternatives, model,
                priority);
    }

    /** The free gems the person may claim today: the largest daily stipend of their memberships with perks. */
    public long dailyGems(String personId) {
        return activePlans(personId).stream().mapToLong(Product.Plan::dailyGems).max().orElse(0);
    }

    /**
     * Credits today's stipend of free gems, once per person per UTC day ({@code stipend:{person}:{date}}); a second
     * claim the same day changes nothing and returns the first, with {@code repeated} true.
     *
     * @throws PurchaseException NOT_MEMBER when no membership with a stipend carries perks now
     */
    public Gems.Move claimDailyGems(String personId) {
        long amount = dailyGems(personId);
        if (amount <= 0) {
            throw new PurchaseException(PurchaseException.Reason.NOT_MEMBER, null,
                    "Daily gems are a membership perk, and you have no membership with them just now.");
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return gems.credit(personId, Gems.Kind.FREE, amount, "stipend", "stipend:" + personId + ":" + today, "",
                "membership daily gems, " + today);
    }

    private static @Nullable Instant instant(@Nullable Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
