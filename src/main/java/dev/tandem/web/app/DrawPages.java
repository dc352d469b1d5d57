package dev.tandem.web.app;

import dev.tandem.companion.Profile;
import dev.tandem.gacha.Banner;
import dev.tandem.gacha.Banners;
import dev.tandem.gacha.Card;
import dev.tandem.gacha.Cards;
import dev.tandem.gacha.Draw;
import dev.tandem.gacha.Draws;
import dev.tandem.gacha.GachaException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A person's draws: the history (every draw, kept for good), one draw with its cards revealed (a CSS animation,
 * none under {@code prefers-reduced-motion}), and its recomputation from the revealed server seed.
 */
@Controller
class DrawPages {

    static final int PAGE = 20;

    private final AppContext context;
    private final Draws draws;
    private final Banners banners;
    private final Cards cards;

    DrawPages(AppContext context, Draws draws, Banners banners, Cards cards) {
        this.context = context;
        this.draws = draws;
        this.banners = banners;
        this.cards = cards;
    }

    @GetMapping("/draws")
    String history(@RequestParam(required = false) String before, HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        context.page(request, model, "Draw history");
        Draw after = before == null ? null : draws.find(me.personId(), before).orElse(null);
        List<Draw> page = draws.history(me.personId(), after, PAGE);
        model.addAttribute("draws", page);
        model.addAttribute("older", page.size() == PAGE ? page.getLast() : null);
        model.addAttribute("paging", before != null);
        model.addAttribute("total", draws.count(me.personId()));
        describe(model, page);
        return "app/draws";
    }

    @GetMapping("/draws/{id}")
    String draw(@PathVariable String id, HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        Draw d = draws.find(me.personId(), id).orElseThrow(() -> GachaException.notFound("The draw"));
        context.page(request, model, "Your draw");
        model.addAttribute("d", d);
        model.addAttribute("reveal", request.getParameter("reveal") != null);
        describe(model, List.of(d));
        return "app/draw";
    }

    @GetMapping("/draws/{id}/verify")
    String verify(@PathVariable String id, HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        Draws.Check check = draws.verify(me.personId(), id);
        context.page(request, model, "Check a draw");
        model.addAttribute("check", check);
        model.addAttribute("d", check.draw());
        describe(model, List.of(check.draw()));
        Map<String, Card> recomputed = cards.byIds(check.recomputed());
        model.addAttribute("recomputedCards", recomputed);
        return "app/verify";
    }

    /** The names and art of the draws' cards, and their banners. */
    private void describe(Model model, List<Draw> list) {
        Set<String> cardIds = new HashSet<>();
        Map<String, Banner> bannerById = new LinkedHashMap<>();
        for (Draw d : list) {
            d.cards().forEach(c -> cardIds.add(c.cardId()));
            bannerById.computeIfAbsent(d.bannerId(), b -> banners.find(b).orElse(null));
        }
        model.addAttribute("cards", cards.byIds(cardIds));
        model.addAttribute("banners", bannerById);
    }
}
