package dev.tandem.web.app;

import dev.tandem.companion.Profile;
import dev.tandem.gacha.Draws;
import dev.tandem.gacha.Fairness;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Provably fair draws: the hash of the server seed in use, the client seed (setting it rotates the server seed),
 * rotating, the revealed seeds, and checking any past draw.
 */
@Controller
class FairnessPages {

    private final AppContext context;
    private final Fairness fairness;
    private final Draws draws;

    FairnessPages(AppContext context, Fairness fairness, Draws draws) {
        this.context = context;
        this.fairness = fairness;
        this.draws = draws;
    }

    @GetMapping("/fairness")
    String page(HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        context.page(request, model, "Provably fair draws");
        model.addAttribute("seeds", fairness.current(me.personId()));
        model.addAttribute("revealed", fairness.revealed(me.personId()));
        model.addAttribute("recent", draws.history(me.personId(), null, 10));
        return "app/fairness";
    }

    @PostMapping("/fairness/client-seed")
    String clientSeed(@RequestParam(name = "client_seed", defaultValue = "") String clientSeed,
            HttpServletRequest request) {
        Profile me = context.person(request);
        fairness.setClientSeed(me.personId(), clientSeed);
        return "redirect:/fairness?rotated";
    }

    @PostMapping("/fairness/rotate")
    String rotate(@RequestParam(defaultValue = "/fairness?rotated") String next, HttpServletRequest request) {
        Profile me = context.person(request);
        fairness.rotate(me.personId());
        return "redirect:" + AccountPages.safeNext(next);
    }

    @GetMapping("/fairness/check")
    String check(@RequestParam(defaultValue = "") String draw, HttpServletRequest request) {
        context.person(request);
        return "redirect:/draws/" + draw.strip().replaceAll("[^A-Za-z0-9_]", "") + "/verify";
    }
}
