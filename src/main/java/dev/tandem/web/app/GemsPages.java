package dev.tandem.web.app;

import dev.tandem.billing.Gems;
import dev.tandem.companion.Profile;
import dev.tandem.gacha.Rewards;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The gems wallet: paid and free balance, today's check-in and chat rewards, and the whole history, page by page. */
@Controller
class GemsPages {

    static final int PAGE = 50;

    private final AppContext context;
    private final Gems gems;
    private final Rewards rewards;

    GemsPages(AppContext context, Gems gems, Rewards rewards) {
        this.context = context;
        this.gems = gems;
        this.rewards = rewards;
    }

    @GetMapping("/gems")
    String wallet(@RequestParam(required = false) String before, @RequestParam(required = false) Long at,
            HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        context.page(request, model, "Gems");
        List<Gems.Entry> history = before == null || at == null ? gems.history(me.personId(), PAGE)
                : gems.historyBefore(me.personId(), new Gems.Entry(before, "", 0, 0, "", "", at), PAGE);
        model.addAttribute("balance", gems.balance(me.personId()));
        model.addAttribute("status", rewards.status(me.personId()));
        model.addAttribute("history", history);
        model.addAttribute("older", history.size() == PAGE ? history.getLast() : null);
        model.addAttribute("paging", before != null);
        return "app/gems";
    }

    @PostMapping("/gems/check-in")
    String checkIn(HttpServletRequest request) {
        Profile me = context.person(request);
        Rewards.CheckIn done = rewards.checkIn(me.personId());
        return "redirect:/gems?" + (done.repeated() ? "checked=again" : "checked=" + done.gems());
    }
}
