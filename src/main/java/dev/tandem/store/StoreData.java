package dev.tandem.store;

import dev.tandem.billing.Gems;
import dev.tandem.companion.PersonalData;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The store's share of a person's data export: purchases, memberships, and the gems history on the ledger. */
@Component
class StoreData implements PersonalData {

    private final Purchases purchases;
    private final Memberships memberships;
    private final Gems gems;
    private final JsonMapper json;

    StoreData(Purchases purchases, Memberships memberships, Gems gems, JsonMapper json) {
        this.purchases = purchases;
        this.memberships = memberships;
        this.gems = gems;
        this.json = json;
    }

    @Override
    public String section() {
        return "purchases_and_gems";
    }

    @Override
    public JsonNode export(String personId) {
        ObjectNode root = json.createObjectNode();
        ArrayNode bought = root.putArray("purchases");
        for (Purchase p : purchases.all(personId)) {
            bought.addObject().put("store", p.store().name()).put("transaction_id", p.transactionId())
                    .put("product", p.productName()).put("gems", p.gems())
                    .put("price", p.price() == null ? null : p.price().toString())
                    .put("status", p.status().name()).put("at", p.purchasedAt().toString());
        }
        ArrayNode plans = root.putArray("memberships");
        memberships.list(personId).forEach(m -> plans.addObject().put("store", m.store().name())
                .put("product", m.productId()).put("standing", m.standing().name()));
        Gems.Balance balance = gems.balance(personId);
        root.putObject("gems").put("paid", balance.paid()).put("free", balance.free());
        ArrayNode history = root.putArray("gem_history");
        Gems.Entry last = null;
        while (true) {
            java.util.List<Gems.Entry> page = last == null ? gems.history(personId, 500)
                    : gems.historyBefore(personId, last, 500);
            for (Gems.Entry e : page) {
                history.addObject().put("kind", e.kind()).put("paid", e.paid()).put("free", e.free())
                        .put("reference", e.reference()).put("memo", e.memo()).put("at", e.at());
            }
            if (page.size() < 500) {
                break;
            }
            last = page.getLast();
        }
        return root;
    }
}
