package dev.tandem.gateway.admin;

import dev.tandem.billing.Gems;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.Fields;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.identity.People;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * A person's gems for support, platform admin only: {@code POST /v1/admin/people/{person}/gems} grants gems
 * ({@code amount}, {@code idempotency_key}, {@code memo}; free gems unless {@code account} is {@code paid}, for
 * restoring a purchase the store could not deliver), once per key; {@code GET} shows the balance and the latest
 * history.
 */
@RestController
class GemsController {

    static final long MAX_GRANT = 1_000_000;

    private final ManagementAuth auth;
    private final JsonWriter json;
    private final Gems gems;
    private final People people;

    GemsController(ManagementAuth auth, JsonWriter json, Gems gems, People people) {
        this.auth = auth;
        this.json = json;
        this.gems = gems;
        this.people = people;
    }

    @PostMapping("/v1/admin/people/{person}/gems")
    void grant(@PathVariable String person, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            known(person);
            JsonNode body = auth.body(ex);
            Long amount = Fields.optionalLong(body, "amount", "amount");
            if (amount == null || amount < 1 || amount > MAX_GRANT) {
                throw ApiError.invalid("amount: Field required, a whole number of gems from 1 to " + MAX_GRANT
                        + (amount == null ? "" : ", was " + amount), "amount");
            }
            String key = Fields.optionalString(body, "idempotency_key", "idempotency_key");
            if (key == null) {
                key = request.getHeader("idempotency-key");
            }
            if (key == null || key.isBlank() || key.length() > 150) {
                throw ApiError.invalid("idempotency_key: Field required (1 to 150 characters), so that a retried "
                        + "grant is applied once", "idempotency_key");
            }
            String memo = Fields.optionalString(body, "memo", "memo");
            if (memo != null && memo.length() > 400) {
                throw ApiError.invalid("memo: at most 400 characters", "memo");
            }
            String account = Fields.optionalString(body, "account", "account");
            Gems.Kind kind = switch (account == null ? "free" : account.toLowerCase(Locale.ROOT)) {
                case "free" -> Gems.Kind.FREE;
                case "paid" -> Gems.Kind.PAID;
                default -> throw ApiError.invalid("account: 'free' (the default) or 'paid', was '" + account + "'",
                        "account");
            };
            Gems.Move move = gems.credit(person, kind, amount, "grant", "admin-grant:" + person + ":" + key,
                    ManagementAuth.actor(ex), memo == null ? "Granted by Tandem" : memo);
            send(ex, 200, g -> {
                g.writeStartObject();
                g.writeStringProperty("object", "gems.grant");
                g.writeStringProperty("person_id", person);
                g.writeStringProperty("transaction_id", move.transactionId());
                g.writeStringProperty("account", kind.name().toLowerCase(Locale.ROOT));
                g.writeNumberProperty("amount", move.paid() + move.free());
                writeBalance(g, move.after());
                g.writeBooleanProperty("replayed", move.repeated());
                g.writeEndObject();
            });
        });
    }

    @GetMapping("/v1/admin/people/{person}/gems")
    void wallet(@PathVariable String person, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            known(person);
            send(ex, 200, g -> {
                g.writeStartObject();
                g.writeStringProperty("object", "gems.wallet");
                g.writeStringProperty("person_id", person);
                writeBalance(g, gems.balance(person));
                g.writeArrayPropertyStart("history");
                for (Gems.Entry e : gems.history(person, 100)) {
                    g.writeStartObject();
                    g.writeStringProperty("transaction_id", e.transactionId());
                    g.writeStringProperty("kind", e.kind());
                    g.writeNumberProperty("paid", e.paid());
                    g.writeNumberProperty("free", e.free());
                    g.writeStringProperty("reference", e.reference());
                    g.writeStringProperty("memo", e.memo());
                    g.writeNumberProperty("created_at", e.at() / 1000);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        });
    }

    private void known(String person) {
        if (person.length() > 40 || people.find(person).isEmpty()) {
            throw new ApiError(ErrorKind.NOT_FOUND, "No person '" + person + "'.", "person", null);
        }
    }

    private static void writeBalance(JsonGenerator g, Gems.Balance b) {
        g.writeObjectPropertyStart("balance");
        g.writeNumberProperty("paid", b.paid());
        g.writeNumberProperty("free", b.free());
        g.writeNumberProperty("total", b.total());
        g.writeEndObject();
    }

    private void send(ApiExchange ex, int status, java.util.function.Consumer<JsonGenerator> body)
            throws java.io.IOException {
        ex.sendJson(status, json.bytes(body));
    }
}
