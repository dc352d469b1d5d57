package dev.tandem.web.app;

import dev.tandem.billing.Gems;
import dev.tandem.companion.Profile;
import dev.tandem.store.Catalog;
import dev.tandem.store.Memberships;
import dev.tandem.store.PurchaseException;
import dev.tandem.store.Purchases;
import dev.tandem.store.SpendingLimits;
import dev.tandem.store.Store;
import dev.tandem.store.Amount;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The shop (gem packs and memberships; bought on the web through Stripe Checkout, in the native app through the
 * App Store and Google Play), one's purchase history, spending limits and memberships with their daily gems.
 */
@Controller
class ShopPages {

    private final AppContext context;
    private final Catalog catalog;
    private final Purchases purchases;
    private final Memberships memberships;
    private final SpendingLimits limits;
    private final Gems gems;

    ShopPages(AppContext context, Catalog catalog, Purchases purchases, Memberships memberships,
            SpendingLimits limits, Gems gems) {
        this.context = context;
        this.catalog = catalog;
        this.purchases = purchases;
        this.memberships = memberships;
        this.limits = limits;
        this.gems = gems;
    }

    @GetMapping("/shop")
    String shop(HttpServletRequest request, Model model) {
        return shopPage(context.person(request), request, model);
    }

    /** Where Stripe sends the buyer back after paying: the gems arrive with Stripe's webhook, maybe a moment later. */
    @GetMapping("/shop/done")
    String done(HttpServletRequest request, Model model) {
        model.addAttribute("notice", "Thank you! Your purchase is credited as soon as Stripe confirms the payment; "
                + "it shows in your purchases.");
        return shopPage(context.person(request), request, model);
    }

    @PostMapping("/shop/checkout")
    String checkout(@RequestParam(defaultValue = "") String product, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        Profile me = context.person(request);
        try {
            String site = ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
            return "redirect:" + purchases.checkout(me.personId(), product, site).url();
        } catch (PurchaseException e) {
            response.setStatus(e.reason().status());
            model.addAttribute("error", e.getMessage());
            return shopPage(me, request, model);
        }
    }

    @GetMapping("/purchases")
    String history(HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        context.page(request, model, "Purchases");
        model.addAttribute("purchases", purchases.history(me.personId(), 200));
        model.addAttribute("balance", gems.balance(me.personId()));
        return "app/purchases";
    }

    @GetMapping("/me/limits")
    String limits(HttpServletRequest request, Model model) {
        return limitsPage(context.person(request), request, model);
    }

    /** Sets one's own monthly cap in whole units of the limits' currency; empty removes it. */
    @PostMapping("/me/limits")
    String setLimit(@RequestParam(name = "monthly_cap", defaultValue = "") String cap, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        Profile me = context.person(request);
        try {
            limits.setMonthlyCap(me.personId(), cap.isBlank() ? null : minor(cap));
            return "redirect:/me/limits";
        } catch (PurchaseException e) {
            response.setStatus(e.reason().status());
            model.addAttribute("error", e.getMessage());
            return limitsPage(me, request, model);
        }
    }

    @GetMapping("/membership")
    String membership(HttpServletRequest request, Model model) {
        return membershipPage(context.person(request), request, model);
    }

    @PostMapping("/membership/daily-gems")
    String claim(HttpServletRequest request, HttpServletResponse response, Model model) {
        Profile me = context.person(request);
        try {
            Gems.Move move = memberships.claimDailyGems(me.personId());
            model.addAttribute("notice", move.repeated() ? "You have claimed today's gems already; come back "
                    + "tomorrow (UTC)." : "Claimed " + move.free() + " free gems.");
        } catch (PurchaseException e) {
            response.setStatus(e.reason().status());
            model.addAttribute("error", e.getMessage());
        }
        return membershipPage(me, request, model);
    }

    private String shopPage(Profile me, HttpServletRequest request, Model model) {
        context.page(request, model, "Shop");
        model.addAttribute("packs", catalog.packs());
        model.addAttribute("plans", catalog.plans());
        model.addAttribute("web", purchases.available(Store.STRIPE));
        model.addAttribute("apple", purchases.available(Store.APPLE));
        model.addAttribute("google", purchases.available(Store.GOOGLE_PLAY));
        model.addAttribute("stripe", Store.STRIPE);
        model.addAttribute("appStore", Store.APPLE);
        model.addAttribute("play", Store.GOOGLE_PLAY);
        model.addAttribute("balance", gems.balance(me.personId()));
        model.addAttribute("limits", limits.status(me.personId()));
        model.addAttribute("perks", memberships.of(me.personId()));
        return "app/shop";
    }

    private String limitsPage(Profile me, HttpServletRequest request, Model model) {
        context.page(request, model, "Spending limits");
        SpendingLimits.Status status = limits.status(me.personId());
        model.addAttribute("limits", status);
        model.addAttribute("currency", limits.currency());
        model.addAttribute("capValue", status.ownMonthlyCap() == null ? ""
                : BigDecimal.valueOf(status.ownMonthlyCap().minor())
                        .divide(BigDecimal.valueOf(Amount.scale(limits.currency()))).stripTrailingZeros()
                        .toPlainString());
        return "app/limits";
    }

    private String membershipPage(Profile me, HttpServletRequest request, Model model) {
        context.page(request, model, "Membership");
        model.addAttribute("memberships", memberships.list(me.personId()));
        model.addAttribute("perks", memberships.of(me.personId()));
        model.addAttribute("dailyGems", memberships.dailyGems(me.personId()));
        model.addAttribute("plans", catalog.plans());
        return "app/membership";
    }

    /** "150" or "150.5" in whole units of the limits' currency → minor units. */
    private long minor(String text) {
        try {
            BigDecimal value = new BigDecimal(text.strip()).multiply(BigDecimal.valueOf(Amount.scale(limits.currency())));
            return value.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new PurchaseException(PurchaseException.Reason.INVALID, null, "Enter the monthly limit as a "
                    + "number, such as 200.");
        }
    }
}
