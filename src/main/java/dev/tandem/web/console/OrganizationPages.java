package dev.tandem.web.console;

import dev.tandem.billing.Billing;
import dev.tandem.billing.BillingProfile;
import dev.tandem.billing.Money;
import dev.tandem.billing.UsageReports;
import dev.tandem.identity.ApiKeyInfo;
import dev.tandem.identity.ApiKeys;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The console's start page (organizations and their balances) and an organization's usage and billing page. */
@Controller
class OrganizationPages {

    private final ConsolePages pages;
    private final Billing billing;
    private final ApiKeys keys;
    private final UsageReports reports;

    OrganizationPages(ConsolePages pages, Billing billing, ApiKeys keys, UsageReports reports) {
        this.pages = pages;
        this.billing = billing;
        this.keys = keys;
        this.reports = reports;
    }

    /** An organization on the start page. */
    record Summary(String id, String name, String role, String balance, String mode, boolean keys) {
    }

    /** A key's activity: when it was last used and its limits. */
    record Activity(String name, String prefix, String lastUsed, String status, String daily, String monthly,
            String rpm, String tpm) {
    }

    @GetMapping({"/console", "/console/"})
    String home(HttpServletRequest request, Model model) {
        ConsoleSession s = pages.session(request);
        List<Summary> summaries = pages.organizationsOf(s).stream().map(o -> new Summary(o.id(), o.name(), o.role(),
                Money.format(billing.balance(o.id())), billing.profile(o.id()).prepaid() ? "prepaid" : "unlimited",
                o.path().endsWith("/keys")))
                .toList();
        pages.frame(model, s, null, "home");
        model.addAttribute("summaries", summaries);
        return "console/home";
    }

    @GetMapping("/console/orgs/{org}/usage")
    String usage(@PathVariable String org, @RequestParam(name = "days", defaultValue = "30") int days,
            @RequestParam(name = "by", defaultValue = "model") String by, HttpServletRequest request, Model model) {
        ConsoleSession s = pages.session(request);
        ConsolePages.Place place = pages.place(s, org, Permission.READ_CREDITS);
        BillingProfile p = billing.profile(place.id());
        pages.frame(model, s, place, "usage");
        model.addAttribute("balance", Money.format(billing.balance(place.id())));
        model.addAttribute("held", Money.format(billing.held(place.id())));
        model.addAttribute("mode", p.prepaid() ? "prepaid: calls need credits" : "unlimited: metered, never refused");
        model.addAttribute("multiplier", p.priceMultiplierBp() / 100.0 + "% of list price");
        model.addAttribute("threshold", p.lowBalanceThreshold() == null ? "not set"
                : Money.format(p.lowBalanceThreshold()));
        model.addAttribute("webhook", p.lowBalanceWebhook() == null ? "not set" : p.lowBalanceWebhook());
        model.addAttribute("orgRpm", p.rpm() == null ? "platform default" : p.rpm().toString());
        model.addAttribute("orgTpm", p.tpm() == null ? "platform default" : p.tpm().toString());
        boolean mayListKeys = place.may(Permission.READ_KEYS);
        model.addAttribute("mayListKeys", mayListKeys);
        List<ApiKeyInfo> keyList = mayListKeys ? keys.list(place.id()) : List.of();
        model.addAttribute("activity", keyList.stream().map(OrganizationPages::activity).toList());

        int range = days == 7 || days == 90 ? days : 30;
        boolean byKey = by.equals("key") && mayListKeys;
        LocalDate to = UsageCharts.today().plusDays(1);
        LocalDate from = to.minusDays(range);
        Map<String, String> keyNames = new HashMap<>();
        keyList.forEach(k -> keyNames.put(k.id(), k.spec().name() + " (" + k.prefix() + ")"));
        UsageCharts.View charts = byKey
                ? UsageCharts.of(reports.dailyByKey(place.id(), from, to), from, to,
                        sum -> String.valueOf(sum.apiKeyId()), id -> keyNames.getOrDefault(id, id))
                : UsageCharts.of(reports.dailyByModel(place.id(), from, to), from, to,
                        sum -> String.valueOf(sum.model()), m -> m);
        model.addAttribute("charts", charts);
        model.addAttribute("days", range);
        model.addAttribute("byKey", byKey);
        model.addAttribute("chartWidth", UsageCharts.WIDTH);
        model.addAttribute("chartHeight", UsageCharts.HEIGHT);
        return "console/usage";
    }

    private static Activity activity(ApiKeyInfo k) {
        return new Activity(k.spec().name(), k.prefix(), k.lastUsedAt() == null ? "never"
                : ConsolePages.time(k.lastUsedAt()), KeyPages.status(k),
                k.spec().spendLimitDaily() == null ? "none" : Money.format(k.spec().spendLimitDaily()),
                k.spec().spendLimitMonthly() == null ? "none" : Money.format(k.spec().spendLimitMonthly()),
                k.spec().rpm() == null ? "default" : k.spec().rpm().toString(),
                k.spec().tpm() == null ? "default" : k.spec().tpm().toString());
    }
}
