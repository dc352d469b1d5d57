package dev.tandem.web.console;

import dev.tandem.billing.ModelPrice;
import dev.tandem.billing.Money;
import dev.tandem.billing.PriceList;
import dev.tandem.billing.UnitPrices;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.inference.Inference;
import dev.tandem.inference.ModelInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The price catalog for platform admins: each model's token prices (what callers pay per million tokens) and
 * engine costs (what Tandem pays), and their margin; a form per model changes them on every node within seconds.
 * The other units (characters, images, video seconds, songs) are kept as they are; the management API sets them.
 */
@Controller
class PricePages {

    private final ConsolePages pages;
    private final PriceList prices;
    private final Inference inference;

    PricePages(ConsolePages pages, PriceList prices, Inference inference) {
        this.pages = pages;
        this.prices = prices;
        this.inference = inference;
    }

    /** A model's token prices and costs as the page shows them. */
    record Row(String model, String input, String cachedInput, String output, String costInput,
            String costCachedInput, String costOutput, String margin, boolean priced) {
    }

    @GetMapping("/console/prices")
    String list(HttpServletRequest request, Model model) {
        return page(platformAdmin(pages.session(request)), model);
    }

    @PostMapping("/console/prices")
    String change(@RequestParam(defaultValue = "") String model, @RequestParam(defaultValue = "0") String input,
            @RequestParam(defaultValue = "") String cachedInput, @RequestParam(defaultValue = "0") String output,
            @RequestParam(defaultValue = "0") String costInput, @RequestParam(defaultValue = "") String costCachedInput,
            @RequestParam(defaultValue = "0") String costOutput, HttpServletRequest request,
            HttpServletResponse response, Model page) {
        ConsoleSession s = platformAdmin(pages.change(request));
        if (inference.model(model).filter(m -> m.id().equals(model)).isEmpty()) {
            response.setStatus(404);
            page.addAttribute("error", "There is no model '" + model + "' in the catalog.");
            return page(s, page);
        }
        try {
            UnitPrices old = prices.find(model).map(ModelPrice::price).orElse(UnitPrices.FREE);
            UnitPrices oldCost = prices.find(model).map(ModelPrice::cost).orElse(UnitPrices.FREE);
            long in = money(input, "input");
            long costIn = money(costInput, "cost of input");
            prices.put(model, new UnitPrices(in, cachedInput.isBlank() ? in : money(cachedInput, "cached input"),
                    money(output, "output"), old.per10kCharacters(), old.perImage(), old.perVideoSecond(),
                    old.perSong()), new UnitPrices(costIn, costCachedInput.isBlank() ? costIn
                            : money(costCachedInput, "cost of cached input"), money(costOutput, "cost of output"),
                            oldCost.per10kCharacters(), oldCost.perImage(), oldCost.perVideoSecond(),
                            oldCost.perSong()));
            page.addAttribute("notice", "Prices of " + model + " saved; every node charges them within seconds.");
        } catch (IllegalArgumentException e) {
            response.setStatus(400);
            page.addAttribute("error", e.getMessage());
        }
        return page(s, page);
    }

    private static long money(String value, String field) {
        try {
            return Money.parse(value.strip());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(field + ": an amount such as 0.50 (" + e.getMessage() + ")");
        }
    }

    private static ConsoleSession platformAdmin(ConsoleSession s) {
        if (!s.platformAdmin()) {
            throw new ConsoleProblem(403, "Prices are for owners and admins of the platform owner's organization.");
        }
        return s;
    }

    private String page(ConsoleSession s, Model model) {
        pages.frame(model, s, null, "prices");
        List<Row> rows = new ArrayList<>();
        for (ModelInfo m : inference.models()) {
            Optional<ModelPrice> p = prices.find(m.id());
            UnitPrices price = p.map(ModelPrice::price).orElse(UnitPrices.FREE);
            UnitPrices cost = p.map(ModelPrice::cost).orElse(UnitPrices.FREE);
            long margin = price.output() - cost.output();
            rows.add(new Row(m.id(), Money.format(price.input()), Money.format(price.cachedInput()),
                    Money.format(price.output()), Money.format(cost.input()), Money.format(cost.cachedInput()),
                    Money.format(cost.output()), Money.format(margin), p.isPresent()));
        }
        model.addAttribute("prices", rows);
        return "console/prices";
    }
}
