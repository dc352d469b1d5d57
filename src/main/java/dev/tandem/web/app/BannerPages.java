package dev.tandem.web.app;

import dev.tandem.billing.Gems;
import dev.tandem.companion.Profile;
import dev.tandem.companion.Viewer;
import dev.tandem.gacha.Banner;
import dev.tandem.gacha.Banners;
import dev.tandem.gacha.Card;
import dev.tandem.gacha.Cards;
import dev.tandem.gacha.Draw;
import dev.tandem.gacha.Draws;
import dev.tandem.gacha.Fairness;
import dev.tandem.gacha.GachaException;
import dev.tandem.gacha.Odds;
import dev.tandem.gacha.Rarity;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Banners: the list, a banner's page (its cards, the person's pity and the server seed hash their next draw
 * commits to, 1- and 10-pull buttons), the draw itself, and the odds page, which anyone may read before signing
 * in or paying. A draw form carries a fresh idempotency key, so a double tap is one draw. Teen mode shows no draw
 * buttons and the draw is refused.
 */
@Controller
class BannerPages {

    private final AppContext context;
    private final Banners banners;
    private final Cards cards;
    private final Draws draws;
    private final Fairness fairness;
    private final Gems gems;
    private final Clock clock;

    BannerPages(AppContext context, Banners banners, Cards cards, Draws draws, Fairness fairness, Gems gems,
            Clock clock) {
        this.context = context;
        this.banners = banners;
        this.cards = cards;
        this.draws = draws;
        this.fairness = fairness;
        this.gems = gems;
        this.clock = clock;
    }

    @GetMapping("/banners")
    String list(HttpServletRequest request, Model model) {
        context.page(request, model, "Banners");
        List<Banner> current = banners.current();
        model.addAttribute("banners", current);
        model.addAttribute("now", clock.millis());
        model.addAttribute("art", cards.byIds(current.stream().flatMap(b -> b.featured().stream())
                .map(Banner.PoolCard::cardId).toList()));
        return "app/banners";
    }

    @GetMapping("/banners/{id}")
    String banner(@PathVariable String id, HttpServletRequest request, Model model) {
        Banner b = find(id);
        Viewer viewer = context.viewer(request);
        context.page(request, model, b.name());
        model.addAttribute("b", b);
        model.addAttribute("cards", cards.byIds(b.pool().stream().map(Banner.PoolCard::cardId).toList()));
        model.addAttribute("open", b.open(clock.millis()));
        model.addAttribute("odds", Odds.of(b.rules()));
        model.addAttribute("rarities", List.of(Rarity.UR, Rarity.SSR, Rarity.SR, Rarity.R));
        String person = viewer.personId();
        if (person != null && !viewer.teen()) {
            Fairness.Seeds seeds = fairness.current(person);
            model.addAttribute("seeds", seeds);
            model.addAttribute("pity", draws.pity(person, b.type()));
            model.addAttribute("balance", gems.balance(person));
            model.addAttribute("key1", UUID.randomUUID().toString());
            model.addAttribute("key10", UUID.randomUUID().toString());
        }
        return "app/banner";
    }

    @PostMapping("/banners/{id}/draw")
    String draw(@PathVariable String id, @RequestParam(defaultValue = "1") int pulls,
            @RequestParam(defaultValue = "") String key, @RequestParam(name = "seed_hash", required = false)
            String seedHash, HttpServletRequest request) {
        Profile me = context.person(request);
        Draw d = draws.draw(me.personId(), id, pulls, key, seedHash);
        return "redirect:/draws/" + d.id() + "?reveal";
    }

    @GetMapping("/banners/{id}/odds")
    String odds(@PathVariable String id, HttpServletRequest request, Model model) {
        Banner b = find(id);
        context.page(request, model, "Odds: " + b.name());
        Odds odds = Odds.of(b.rules());
        Map<String, Card> byId = cards.byIds(b.pool().stream().map(Banner.PoolCard::cardId).toList());
        model.addAttribute("b", b);
        model.addAttribute("odds", odds);
        model.addAttribute("cards", byId);
        model.addAttribute("cardOdds", Banners.cardOdds(b));
        model.addAttribute("rarities", List.of(Rarity.UR, Rarity.SSR, Rarity.SR, Rarity.R));
        model.addAttribute("topWithinSoft", odds.topWithin(b.rules().softPityStart() - 1));
        model.addAttribute("shareOfTopsFeatured", odds.featuredShareOfTops());
        return "app/odds";
    }

    @GetMapping("/banners/{id}/rules.json")
    ResponseEntity<String> rules(@PathVariable String id) {
        Banner b = find(id);
        return download(b.id() + "-rules.json", Banners.rulesJson(b.rules()));
    }

    @GetMapping("/banners/{id}/pool.json")
    ResponseEntity<String> pool(@PathVariable String id) {
        Banner b = find(id);
        return download(b.id() + "-pool.json", Banners.poolJson(b));
    }

    private Banner find(String id) {
        return banners.find(id).orElseThrow(() -> GachaException.notFound("The banner"));
    }

    private static ResponseEntity<String> download(String name, String json) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"").body(json);
    }
}
