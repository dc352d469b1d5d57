package dev.tandem.gateway.admin;

import dev.tandem.billing.ModelPrice;
import dev.tandem.billing.Money;
import dev.tandem.billing.PriceList;
import dev.tandem.billing.UnitPrices;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.Fields;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.inference.Inference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The price catalog over HTTP, for the platform admin: {@code GET /v1/admin/prices}, and
 * {@code GET|PUT|DELETE /v1/admin/prices/{model}} (model ids may contain slashes). A body is
 * {@code {"price":{…},"cost":{…}}}, each with the units {@code input}, {@code cached_input}, {@code output} (per
 * million tokens), {@code per_10k_characters}, {@code per_image}, {@code per_video_second}, {@code per_song}, as
 * decimal strings; a unit left out is 0 ({@code cached_input}: the same as {@code input}). PUT replaces the entry.
 */
@RestController
class PricesController {

    private static final List<String> UNITS = List.of("input", "cached_input", "output", "per_10k_characters",
            "per_image", "per_video_second", "per_song");
    private static final Set<String> SECTIONS = Set.of("price", "cost");

    private final GatewayHandler handler;
    private final JsonWriter json;
    private final ManagementAuth auth;
    private final PriceList prices;
    private final Inference inference;

    PricesController(GatewayHandler handler, JsonWriter json, ManagementAuth auth, PriceList prices,
            Inference inference) {
        this.handler = handler;
        this.json = json;
        this.auth = auth;
        this.prices = prices;
        this.inference = inference;
    }

    @GetMapping("/v1/admin/prices")
    void list(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            send(ex, g -> ManagementJson.list(g, prices.list(), PricesController::write));
        });
    }

    @GetMapping("/v1/admin/prices/{*model}")
    void get(@PathVariable String model, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            String id = modelId(model);
            ModelPrice p = prices.find(id).orElseThrow(() -> noPrice(id));
            send(ex, g -> write(g, p));
        });
    }

    @PutMapping("/v1/admin/prices/{*model}")
    void put(@PathVariable String model, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            String id = modelId(model);
            if (inference.model(id).isEmpty()) {
                throw ApiError.invalid("model: there is no model '" + id + "' in the catalog; prices can be set for "
                        + "configured models only", "model");
            }
            JsonNode body = handler.jsonObject(ex);
            for (String field : body.propertyNames()) {
                if (!SECTIONS.contains(field)) {
                    throw ApiError.invalid(field + ": unknown field; the body has 'price' and 'cost'", field);
                }
            }
            UnitPrices price = units(body, "price");
            UnitPrices cost = units(body, "cost");
            ModelPrice stored = prices.put(id, price, cost);
            send(ex, g -> write(g, stored));
        });
    }

    @DeleteMapping("/v1/admin/prices/{*model}")
    void delete(@PathVariable String model, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            String id = modelId(model);
            if (!prices.remove(id)) {
                throw noPrice(id);
            }
            send(ex, g -> {
                g.writeStartObject();
                g.writeStringProperty("object", "model.price.deleted");
                g.writeStringProperty("model", id);
                g.writeBooleanProperty("deleted", true);
                g.writeEndObject();
            });
        });
    }

    private static String modelId(String captured) {
        String id = captured.startsWith("/") ? captured.substring(1) : captured;
        if (id.isBlank()) {
            throw ApiError.invalid("model: name a model in the path, /v1/admin/prices/{model}", "model");
        }
        return id;
    }

    private static ApiError noPrice(String model) {
        return new ApiError(ErrorKind.NOT_FOUND, "The model '" + model + "' has no price in the catalog.", "model",
                null);
    }

    /** One section of a PUT body; every amount checked, every error naming its field. */
    private static UnitPrices units(JsonNode body, String section) {
        JsonNode s = Fields.optionalObject(body, section, section);
        if (s == null) {
            return UnitPrices.FREE;
        }
        for (String field : s.propertyNames()) {
            if (!UNITS.contains(field)) {
                throw ApiError.invalid(section + "." + field + ": unknown unit; units are " + String.join(", ", UNITS),
                        section + "." + field);
            }
        }
        long[] v = new long[UNITS.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = amount(s, section, UNITS.get(i));
        }
        long cached = s.has("cached_input") && !s.get("cached_input").isNull() ? v[1] : v[0];
        return new UnitPrices(v[0], cached, v[2], v[3], v[4], v[5], v[6]);
    }

    private static long amount(JsonNode section, String sectionName, String unit) {
        String field = sectionName + "." + unit;
        long micros = AdminRequests.money(section, unit, field, false);
        if (!section.has(unit) || section.get(unit).isNull()) {
            return 0;
        }
        if (micros < 0) {
            throw ApiError.invalid(field + ": must not be negative, was " + Money.format(micros), field);
        }
        if (micros > UnitPrices.MAX) {
            throw ApiError.invalid(field + ": at most " + Money.format(UnitPrices.MAX) + " per unit, was "
                    + Money.format(micros), field);
        }
        return micros;
    }

    private static void write(JsonGenerator g, ModelPrice p) {
        g.writeStartObject();
        g.writeStringProperty("object", "model.price");
        g.writeStringProperty("model", p.model());
        g.writeStringProperty("currency", "usd");
        writeUnits(g, "price", p.price());
        writeUnits(g, "cost", p.cost());
        g.writeNumberProperty("updated_at", p.updatedAt() / 1000);
        g.writeEndObject();
    }

    private static void writeUnits(JsonGenerator g, String name, UnitPrices u) {
        g.writeObjectPropertyStart(name);
        long[] v = {u.input(), u.cachedInput(), u.output(), u.per10kCharacters(), u.perImage(), u.perVideoSecond(),
                u.perSong()};
        for (int i = 0; i < v.length; i++) {
            AdminController.writeMoney(g, UNITS.get(i), v[i]);
        }
        g.writeEndObject();
    }

    private void send(ApiExchange ex, java.util.function.Consumer<JsonGenerator> body) throws java.io.IOException {
        ex.sendJson(200, json.bytes(body));
    }
}
