package dev.tandem.web.admin;

import dev.tandem.companion.CompanionException;
import dev.tandem.gacha.Banner;
import dev.tandem.gacha.BannerRules;
import dev.tandem.gacha.Banners;
import dev.tandem.gacha.Card;
import dev.tandem.gacha.GachaException;
import dev.tandem.gacha.Odds;
import dev.tandem.gacha.Rarity;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reading the admin API's fields (every failure an {@link ApiError} naming the field) and writing its objects; and
 * the one place where the gacha's and the companion's refusals become {@link ApiError}s.
 */
final class AdminJson {

    private AdminJson() {
    }

    static ApiError error(RuntimeException e) {
        return switch (e) {
            case ApiError a -> a;
            case GachaException g -> new ApiError(switch (g.reason()) {
                case INVALID -> ErrorKind.INVALID_REQUEST;
                case INSUFFICIENT -> ErrorKind.INSUFFICIENT_BALANCE;
                case FORBIDDEN -> ErrorKind.PERMISSION;
                case NOT_FOUND -> ErrorKind.NOT_FOUND;
                case CONFLICT -> ErrorKind.CONFLICT;
            }, g.getMessage(), g.field(), null);
            case CompanionException c -> new ApiError(switch (c.reason()) {
                case INVALID -> ErrorKind.INVALID_REQUEST;
                case NOT_FOUND -> ErrorKind.NOT_FOUND;
                case CONFLICT -> ErrorKind.CONFLICT;
                case FORBIDDEN, UNAUTHENTICATED -> ErrorKind.PERMISSION;
                case THROTTLED -> ErrorKind.RATE_LIMITED;
                case UNAVAILABLE -> ErrorKind.OVERLOADED;
            }, c.getMessage(), c.field(), null);
            default -> throw e;
        };
    }

    static @Nullable String string(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw ApiError.invalid(field + ": expected a string", field);
        }
        return n.asString();
    }

    static String requiredString(JsonNode body, String field) {
        String s = string(body, field);
        if (s == null) {
            throw ApiError.invalid(field + ": Field required", field);
        }
        return s;
    }

    static @Nullable Long number(JsonNode body, String field, long min, long max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw ApiError.invalid(field + ": expected a whole number from " + min + " to " + max, field);
        }
        return n.asLong();
    }

    static long requiredNumber(JsonNode body, String field, long min, long max) {
        Long n = number(body, field, min, max);
        if (n == null) {
            throw ApiError.invalid(field + ": Field required (a whole number from " + min + " to " + max + ")", field);
        }
        return n;
    }

    /**
     * Rules: {@code "genshin"}, or an object whose fields override {@code preset} ({@code "genshin"}); without a
     * preset every field but the featured ones is required.
     */
    static BannerRules rules(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiError.invalid("rules: Field required ('genshin', or an object of rules)", "rules");
        }
        if (node.isString()) {
            if (!node.asString().equals("genshin")) {
                throw ApiError.invalid("rules: the only preset is 'genshin'; or give an object of rules", "rules");
            }
            return BannerRules.genshinLike();
        }
        if (!node.isObject()) {
            throw ApiError.invalid("rules: expected 'genshin' or an object", "rules");
        }
        String preset = string(node, "preset");
        if (preset != null && !preset.equals("genshin")) {
            throw ApiError.invalid("rules.preset: the only preset is 'genshin'", "rules.preset");
        }
        @Nullable BannerRules base = preset == null ? null : BannerRules.genshinLike();
        String type = string(node, "banner_type");
        Map<Rarity, Integer> rates = new EnumMap<>(Rarity.class);
        JsonNode r = node.get("base_rates_ppm");
        if (r != null && !r.isNull()) {
            for (Rarity rarity : Rarity.values()) {
                rates.put(rarity, (int) requiredNumber(r, rarity.name(), 0, 1_000_000));
            }
        } else if (base != null) {
            rates.putAll(base.baseRatesPpm());
        } else {
            throw ApiError.invalid("rules.base_rates_ppm: Field required ({\"R\":…,\"SR\":…,\"SSR\":…,\"UR\":…} "
                    + "summing to 1000000), or give a preset", "rules.base_rates_ppm");
        }
        try {
            return new BannerRules(type != null ? type : base != null ? base.bannerType() : required("banner_type"),
                    rates, integer(node, "soft_pity_start", base == null ? null : base.softPityStart()),
                    integer(node, "soft_pity_increment_ppm", base == null ? null : base.softPityIncrementPpm()),
                    integer(node, "hard_pity", base == null ? null : base.hardPity()),
                    featured(node, "top_featured", base == null ? null : base.topFeatured()),
                    integer(node, "sr_pity", base == null ? null : base.srPity()),
                    featured(node, "sr_featured", base == null ? null : base.srFeatured()));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("rules: " + e.getMessage(), "rules");
        }
    }

    private static String required(String field) {
        throw ApiError.invalid("rules." + field + ": Field required, or give a preset", "rules." + field);
    }

    private static int integer(JsonNode node, String field, @Nullable Integer fallback) {
        Long n = number(node, field, 0, 1_000_000);
        if (n == null && fallback == null) {
            required(field);
        }
        return n == null ? fallback : n.intValue();
    }

    private static BannerRules.@Nullable Featured featured(JsonNode node, String field,
            BannerRules.@Nullable Featured fallback) {
        if (!node.has(field)) {
            return fallback;
        }
        JsonNode f = node.get(field);
        if (f.isNull()) {
            return null;
        }
        if (!f.isObject()) {
            throw ApiError.invalid("rules." + field + ": expected null or {\"share_ppm\":…,\"guarantee_after_loss\":…}",
                    "rules." + field);
        }
        JsonNode g = f.get("guarantee_after_loss");
        if (g != null && !g.isBoolean()) {
            throw ApiError.invalid("rules." + field + ".guarantee_after_loss: expected a boolean", "rules." + field);
        }
        return new BannerRules.Featured((int) requiredNumber(f, "share_ppm", 1, 1_000_000), g == null || g.asBoolean());
    }

    static ObjectNode card(JsonMapper json, Card c) {
        ObjectNode o = json.createObjectNode();
        o.put("object", "gacha.card");
        o.put("id", c.id());
        o.put("character_id", c.characterId());
        o.put("name", c.name());
        o.put("rarity", c.rarity().name());
        if (c.artId() == null) {
            o.putNull("art_url");
        } else {
            o.put("art_url", "/images/" + c.artId());
        }
        o.put("unlock_kind", c.unlockKind().wire());
        o.put("unlock_text", c.unlockText());
        o.put("created_by", c.createdBy());
        o.put("created_at", c.createdAt() / 1000);
        o.put("updated_at", c.updatedAt() / 1000);
        return o;
    }

    static ObjectNode banner(JsonMapper json, Banner b) {
        ObjectNode o = json.createObjectNode();
        o.put("object", "gacha.banner");
        o.put("id", b.id());
        o.put("name", b.name());
        o.put("description", b.description());
        o.put("banner_type", b.type());
        o.put("starts_at", b.startsAt() / 1000);
        o.put("ends_at", b.endsAt() / 1000);
        o.put("pull_cost", b.pullCost());
        o.put("ten_pull_cost", b.tenPullCost());
        o.set("rules", json.readTree(Banners.rulesJson(b.rules())));
        ArrayNode cards = o.putArray("cards");
        for (Banners.CardOdds c : Banners.cardOdds(b)) {
            ObjectNode card = cards.addObject();
            card.put("card_id", c.card().cardId());
            card.put("rarity", c.card().rarity().name());
            card.put("featured", c.card().featured());
            card.put("chance_per_pull", c.perPull());
        }
        Odds odds = Odds.of(b.rules());
        ObjectNode overall = o.putObject("overall_rates");
        for (Rarity r : Rarity.values()) {
            overall.put(r.name(), odds.overall(r));
        }
        o.put("expected_pulls_to_top", odds.expectedPullsToTop());
        o.put("odds_url", "/banners/" + b.id() + "/odds");
        o.put("created_by", b.createdBy());
        o.put("created_at", b.createdAt() / 1000);
        return o;
    }
}
