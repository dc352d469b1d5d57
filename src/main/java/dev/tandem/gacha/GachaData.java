package dev.tandem.gacha;

import dev.tandem.companion.PersonalData;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The gacha's share of a person's data export: every draw with its seeds and cards, the collection, shards. */
@Component
class GachaData implements PersonalData {

    private final Draws draws;
    private final CardCollection collection;
    private final JsonMapper json;

    GachaData(Draws draws, CardCollection collection, JsonMapper json) {
        this.draws = draws;
        this.collection = collection;
        this.json = json;
    }

    @Override
    public String section() {
        return "cards";
    }

    @Override
    public JsonNode export(String personId) {
        ObjectNode root = json.createObjectNode();
        ArrayNode history = root.putArray("draws");
        Draw before = null;
        while (true) {
            List<Draw> page = draws.history(personId, before, 100);
            for (Draw d : page) {
                ObjectNode o = history.addObject().put("id", d.id()).put("banner", d.bannerId())
                        .put("pulls", d.pulls()).put("gems", d.cost()).put("server_seed_hash", d.serverHash())
                        .put("client_seed", d.clientSeed()).put("nonce", d.nonce()).put("at", d.createdAt());
                ArrayNode cards = o.putArray("cards");
                d.cards().forEach(c -> cards.addObject().put("card", c.cardId()).put("rarity", c.rarity().name())
                        .put("duplicate", c.duplicate()));
            }
            if (page.size() < 100) {
                break;
            }
            before = page.getLast();
        }
        ArrayNode owned = root.putArray("collection");
        collection.owned(personId).forEach(o -> owned.addObject().put("card", o.card().id())
                .put("name", o.card().name()).put("rarity", o.card().rarity().name()).put("copies", o.copies()));
        root.put("shards", collection.shards(personId));
        return root;
    }
}
