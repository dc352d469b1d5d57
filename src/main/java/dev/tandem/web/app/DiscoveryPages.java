package dev.tandem.web.app;

import dev.tandem.companion.CompanionException;
import dev.tandem.companion.Discovery;
import dev.tandem.companion.Images;
import dev.tandem.companion.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The home feed, search, tag pages, creator pages, and the pictures they show. */
@Controller
class DiscoveryPages {

    private final AppContext context;
    private final Discovery discovery;
    private final Images images;

    DiscoveryPages(AppContext context, Discovery discovery, Images images) {
        this.context = context;
        this.discovery = discovery;
        this.images = images;
    }

    @GetMapping("/")
    String home(@RequestParam(defaultValue = "for-you") String tab, HttpServletRequest request, Model model) {
        Viewer viewer = context.viewer(request);
        context.page(request, model, "Discover");
        String t = switch (tab) {
            case "trending", "new", "following" -> tab;
            default -> viewer.personId() == null ? "trending" : "for-you";
        };
        model.addAttribute("tab", t);
        model.addAttribute("characters", switch (t) {
            case "trending" -> discovery.trending(viewer, 40);
            case "new" -> discovery.newest(viewer, 40);
            case "following" -> discovery.following(viewer, 40);
            default -> discovery.forYou(viewer, 40);
        });
        model.addAttribute("tags", discovery.popularTags(20));
        return "app/home";
    }

    @GetMapping("/search")
    String search(@RequestParam(defaultValue = "") String q, HttpServletRequest request, Model model) {
        context.page(request, model, q.isBlank() ? "Search" : "Search: " + q);
        model.addAttribute("q", q);
        model.addAttribute("characters", q.isBlank() ? java.util.List.of()
                : discovery.search(context.viewer(request), q, 40));
        return "app/search";
    }

    @GetMapping("/tags/{tag}")
    String tag(@PathVariable String tag, HttpServletRequest request, Model model) {
        context.page(request, model, "#" + tag);
        model.addAttribute("tag", tag);
        model.addAttribute("characters", discovery.tagged(context.viewer(request), tag, 60));
        return "app/tag";
    }

    @GetMapping("/u/{handle}")
    String creator(@PathVariable String handle, HttpServletRequest request, Model model) {
        Discovery.Creator creator = discovery.creator(context.viewer(request), handle);
        context.page(request, model, "@" + creator.profile().handle());
        model.addAttribute("creator", creator);
        return "app/creator";
    }

    @PostMapping("/u/{handle}/follow")
    String follow(@PathVariable String handle, @RequestParam(defaultValue = "true") boolean follow,
            HttpServletRequest request) {
        context.person(request);
        discovery.follow(context.viewer(request), handle, follow);
        return "redirect:/u/" + handle;
    }

    @GetMapping("/images/{id}")
    ResponseEntity<byte[]> image(@PathVariable String id) {
        Images.Image image = images.find(id).orElseThrow(() -> CompanionException.notFound("The picture"));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(image.contentType()))
                .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable())
                .header("X-Content-Type-Options", "nosniff").body(image.bytes());
    }
}
