package dev.tandem.web.admin;

import dev.tandem.gacha.Banner;
import dev.tandem.gacha.BannerDraft;
import dev.tandem.gacha.Banners;
import dev.tandem.gacha.Card;
import dev.tandem.gacha.CardDraft;
import dev.tandem.gacha.Cards;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.ManagementCalls;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Card sets and banners over the management API, platform admin only. Cards: {@code POST /v1/admin/cards}
 * (art as {@code art_base64}: PNG, JPEG or GIF, checked and re-encoded), {@code GET /v1/admin/cards?character_id=},
 * {@code GET|POST /v1/admin/cards/{card}} (a POST changes the fields it names). Banners: {@code POST
 * /v1/admin/banners} (rules {@code "genshin"} or an object, a pool, a time window, prices), {@code GET} one or all,
 * {@code POST …/{banner}/end} (ends it now), {@code DELETE} (only before it starts). Times are Unix seconds.
 */
@RestController
class GachaAdminApi {

    static final long DEFAULT_PULL_COST = 160;

    private final ManagementCalls calls;
    private final Cards cards;
    private final Banners banners;
    private final JsonMapper json;

    GachaAdminApi(ManagementCalls calls, Cards cards, Banners banners, JsonMapper json) {
        this.calls = calls;
        this.cards = cards;
        this.banners = banners;
        this.json = json;
    }

    @PostMapping("/v1/admin/cards")
    void createCard(HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> {
            JsonNode b = r.body();
            CardDraft draft = CardDraft.of(AdminJson.requiredString(b, "name"), AdminJson.requiredString(b, "rarity"),
                    AdminJson.requiredString(b, "unlock_kind"), AdminJson.requiredString(b, "unlock_text"));
            Card card = cards.create(new Cards.Editor(r.actor(), true), AdminJson.requiredString(b, "character_id"),
                    draft, art(b));
            return new ManagementCalls.Reply(201, AdminJson.card(json, card));
        });
    }

    @GetMapping("/v1/admin/cards")
    void listCards(HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> {
            String character = request.getParameter("character_id");
            if (character == null || character.isBlank()) {
                throw ApiError.invalid("character_id: query parameter required (the character whose set to list)",
                        "character_id");
            }
            return list(cards.ofCharacter(character.strip()).stream().map(c -> AdminJson.card(json, c)).toList());
        });
    }

    @GetMapping("/v1/admin/cards/{card}")
    void getCard(@PathVariable String card, HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> new ManagementCalls.Reply(200, AdminJson.card(json, cards.find(card)
                .orElseThrow(() -> noSuch("card", card)))));
    }

    @PostMapping("/v1/admin/cards/{card}")
    void updateCard(@PathVariable String card, HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> {
            Card c = cards.find(card).orElseThrow(() -> noSuch("card", card));
            JsonNode b = r.body();
            CardDraft draft = CardDraft.of(or(AdminJson.string(b, "name"), c::name),
                    or(AdminJson.string(b, "rarity"), () -> c.rarity().name()),
                    or(AdminJson.string(b, "unlock_kind"), () -> c.unlockKind().wire()),
                    or(AdminJson.string(b, "unlock_text"), c::unlockText));
            return new ManagementCalls.Reply(200, AdminJson.card(json, cards.update(new Cards.Editor(r.actor(), true),
                    card, draft, art(b))));
        });
    }

    @PostMapping("/v1/admin/banners")
    void createBanner(HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> {
            JsonNode b = r.body();
            long pull = or(AdminJson.number(b, "pull_cost", 1, 1_000_000), () -> DEFAULT_PULL_COST);
            long ten = or(AdminJson.number(b, "ten_pull_cost", 1, 10_000_000), () -> pull * 10);
            JsonNode pool = b.get("cards");
            if (pool == null || !pool.isArray() || pool.isEmpty()) {
                throw ApiError.invalid("cards: Field required, a list of {\"card_id\":…,\"featured\":true|false}",
                        "cards");
            }
            List<BannerDraft.Entry> entries = new ArrayList<>();
            for (int i = 0; i < pool.size(); i++) {
                JsonNode e = pool.get(i);
                if (!e.isObject()) {
                    throw ApiError.invalid("cards[" + i + "]: expected an object", "cards");
                }
                JsonNode featured = e.get("featured");
                if (featured != null && !featured.isNull() && !featured.isBoolean()) {
                    throw ApiError.invalid("cards[" + i + "].featured: expected a boolean", "cards");
                }
                entries.add(new BannerDraft.Entry(AdminJson.requiredString(e, "card_id"),
                        featured != null && featured.asBoolean()));
            }
            BannerDraft draft = new BannerDraft(AdminJson.requiredString(b, "name"),
                    or(AdminJson.string(b, "description"), () -> ""), AdminJson.rules(b.get("rules")),
                    AdminJson.requiredNumber(b, "starts_at", 0, 32_503_680_000L) * 1000,
                    AdminJson.requiredNumber(b, "ends_at", 0, 32_503_680_000L) * 1000, pull, ten, entries);
            return new ManagementCalls.Reply(201, AdminJson.banner(json, banners.create(draft, r.actor())));
        });
    }

    @GetMapping("/v1/admin/banners")
    void listBanners(HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> list(banners.all().stream().map(b -> AdminJson.banner(json, b)).toList()));
    }

    @GetMapping("/v1/admin/banners/{banner}")
    void getBanner(@PathVariable String banner, HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> new ManagementCalls.Reply(200, AdminJson.banner(json, find(banner))));
    }

    @PostMapping("/v1/admin/banners/{banner}/end")
    void endBanner(@PathVariable String banner, HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> new ManagementCalls.Reply(200, AdminJson.banner(json,
                banners.end(find(banner).id()))));
    }

    @DeleteMapping("/v1/admin/banners/{banner}")
    void deleteBanner(@PathVariable String banner, HttpServletRequest request, HttpServletResponse response) {
        run(request, response, r -> {
            banners.delete(find(banner).id());
            ObjectNode o = json.createObjectNode();
            o.put("object", "gacha.banner.deleted");
            o.put("id", banner);
            o.put("deleted", true);
            return new ManagementCalls.Reply(200, o);
        });
    }

    private void run(HttpServletRequest request, HttpServletResponse response, ManagementCalls.Call call) {
        calls.platformAdmin(request, response, r -> {
            try {
                return call.handle(r);
            } catch (RuntimeException e) {
                throw AdminJson.error(e);
            }
        });
    }

    private Banner find(String id) {
        return banners.find(id).orElseThrow(() -> noSuch("banner", id));
    }

    private ManagementCalls.Reply list(List<ObjectNode> items) {
        ObjectNode o = json.createObjectNode();
        o.put("object", "list");
        ArrayNode data = o.putArray("data");
        items.forEach(data::add);
        return new ManagementCalls.Reply(200, o);
    }

    private static byte @Nullable [] art(JsonNode body) {
        String art = AdminJson.string(body, "art_base64");
        if (art == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(art.strip());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("art_base64: not valid base64", "art_base64");
        }
    }

    private static <T> T or(@Nullable T value, Supplier<T> fallback) {
        return value != null ? value : fallback.get();
    }

    private static ApiError noSuch(String what, String id) {
        return new ApiError(ErrorKind.NOT_FOUND, "No " + what + " '" + id + "'.", what, null);
    }
}
