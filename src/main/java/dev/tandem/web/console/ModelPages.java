package dev.tandem.web.console;

import dev.tandem.identity.ConsoleSession;
import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.Inference;
import dev.tandem.inference.ModelInfo;
import dev.tandem.inference.ModelSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The platform's model catalog for its admins: every model, its channels with their health, and the switch that
 * takes a channel out of service on every node (or puts it back). Adding and changing models is the management
 * API's ({@code PUT /v1/admin/models/{id}}).
 */
@Controller
class ModelPages {

    private final ConsolePages pages;
    private final Inference inference;

    ModelPages(ConsolePages pages, Inference inference) {
        this.pages = pages;
        this.inference = inference;
    }

    /** A channel as the page shows it. */
    record Channel(String name, String engine, String target, int priority, int weight, String state,
            String failureRate, String load, boolean enabled) {
    }

    /** A model as the page shows it. */
    record Row(String id, String state, String aliases, String fallbacks, List<Channel> channels) {
    }

    @GetMapping("/console/models")
    String list(HttpServletRequest request, Model model) {
        ConsoleSession s = platformAdmin(pages.session(request));
        return page(s, model);
    }

    @PostMapping("/console/models/switch")
    String toggle(@RequestParam(defaultValue = "") String model, @RequestParam(defaultValue = "") String channel,
            @RequestParam(defaultValue = "") String enable, HttpServletRequest request,
            HttpServletResponse response, Model page) {
        ConsoleSession s = platformAdmin(pages.change(request));
        boolean on = enable.equals("true");
        if (inference.setChannelEnabled(model, channel, on)) {
            page.addAttribute("notice", "Channel " + channel + " of " + model + (on ? " is back in service."
                    : " is out of service on every node."));
        } else {
            response.setStatus(404);
            page.addAttribute("error", "Model " + model + " has no channel " + channel + ".");
        }
        return page(s, page);
    }

    private static ConsoleSession platformAdmin(ConsoleSession s) {
        if (!s.platformAdmin()) {
            throw new ConsoleProblem(403, "The model catalog is for owners and admins of the platform owner's "
                    + "organization.");
        }
        return s;
    }

    private String page(ConsoleSession s, Model model) {
        pages.frame(model, s, null, "models");
        Map<String, ChannelStatus> health = new HashMap<>();
        inference.channels().forEach(c -> health.put(c.model() + "\u0000" + c.channel(), c));
        List<Row> rows = new ArrayList<>();
        for (ModelInfo m : inference.models()) {
            List<Channel> channels = new ArrayList<>();
            for (ModelSettings c : inference.modelSettings(m.id())) {
                ChannelStatus h = health.get(m.id() + "\u0000" + c.channel());
                String state = h == null ? "unknown" : h.state();
                channels.add(new Channel(c.channel(), c.engine(), c.baseUrl() != null ? c.baseUrl()
                        : c.path() != null ? c.path() : String.valueOf(c.url()), c.priority() == null ? 0
                        : c.priority(), c.weight() == null ? 1 : c.weight(), state.replace('_', ' '),
                        h == null || h.failureRate() < 0 ? "—" : String.format(Locale.ROOT, "%.0f%%",
                                h.failureRate()),
                        h == null || h.running() < 0 ? (h == null ? "—" : h.queued() + " queued")
                                : h.running() + " running, " + h.queued() + " queued",
                        !state.equals("disabled")));
            }
            rows.add(new Row(m.id(), m.state().getClass().getSimpleName().toLowerCase(Locale.ROOT),
                    String.join(", ", m.aliases()), String.join(", ", m.fallbacks()), channels));
        }
        model.addAttribute("models", rows);
        return "console/models";
    }
}
