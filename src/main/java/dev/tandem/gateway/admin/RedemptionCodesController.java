package dev.tandem.gateway.admin;

import dev.tandem.billing.Money;
import dev.tandem.billing.Redemption;
import dev.tandem.billing.RedemptionCodes;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.Fields;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Redemption codes over HTTP. The platform admin makes batches ({@code POST /v1/admin/redemption_codes}: the codes
 * are in that response only), lists them ({@code GET /v1/admin/redemption_codes}, {@code …/{batch}} with its codes'
 * prefixes and states) and revokes unused codes ({@code POST …/{batch}/revoke}, all or {@code code_ids}). An admin
 * key of an organization redeems one ({@code POST /v1/organization/redeem}).
 */
@RestController
class RedemptionCodesController {

    private static final long MAX_AMOUNT = 1_000_000L * Money.MICROS_PER_UNIT;

    private final GatewayHandler handler;
    private final JsonWriter json;
    private final ManagementAuth auth;
    private final RedemptionCodes codes;
    private final Clock clock;

    RedemptionCodesController(GatewayHandler handler, JsonWriter json, ManagementAuth auth, RedemptionCodes codes,
            Clock clock) {
        this.handler = handler;
        this.json = json;
        this.auth = auth;
        this.codes = codes;
        this.clock = clock;
    }

    @PostMapping("/v1/admin/redemption_codes")
    void create(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            JsonNode body = handler.jsonObject(ex);
            Integer count = Fields.optionalInt(body, "count", "count", 1, RedemptionCodes.MAX_BATCH);
            if (count == null) {
                throw ApiError.invalid("count: Field required (1 to " + RedemptionCodes.MAX_BATCH + ")", "count");
            }
            long amount = AdminRequests.money(body, "amount", true);
            if (amount <= 0 || amount > MAX_AMOUNT) {
                throw ApiError.invalid("amount: must be more than 0 and at most " + Money.format(MAX_AMOUNT), "amount");
            }
            Long expiresSeconds = Fields.optionalLong(body, "expires_at", "expires_at");
            if (expiresSeconds != null && (expiresSeconds * 1000 <= clock.millis() || expiresSeconds > 32_503_680_000L)) {
                throw ApiError.invalid("expires_at: a Unix time in seconds in the future, was " + expiresSeconds,
                        "expires_at");
            }
            String memo = Fields.optionalString(body, "memo", "memo");
            if (memo != null && memo.length() > 400) {
                throw ApiError.invalid("memo: at most 400 characters", "memo");
            }
            RedemptionCodes.Created created = codes.create(count, amount,
                    expiresSeconds == null ? null : expiresSeconds * 1000, memo, ex.principal().keyId());
            send(ex, 201, g -> {
                g.writeStartObject();
                writeBatchFields(g, created.batch());
                g.writeArrayPropertyStart("codes");
                created.codes().forEach(g::writeString);
                g.writeEndArray();
                g.writeEndObject();
            });
        });
    }

    @GetMapping("/v1/admin/redemption_codes")
    void list(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            send(ex, 200, g -> ManagementJson.list(g, codes.batches(), (w, b) -> {
                w.writeStartObject();
                writeBatchFields(w, b);
                w.writeEndObject();
            }));
        });
    }

    @GetMapping("/v1/admin/redemption_codes/{batch}")
    void get(@PathVariable String batch, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            RedemptionCodes.Batch b = codes.batch(batch).orElseThrow(() -> noBatch(batch));
            send(ex, 200, g -> {
                g.writeStartObject();
                writeBatchFields(g, b);
                g.writeArrayPropertyStart("codes");
                for (RedemptionCodes.Code c : codes.codes(batch)) {
                    g.writeStartObject();
                    g.writeStringProperty("id", c.id());
                    g.writeStringProperty("prefix", c.prefix());
                    g.writeStringProperty("status", c.status());
                    ManagementJson.nullable(g, "organization_id", c.organizationId());
                    ManagementJson.time(g, "redeemed_at", c.redeemedAt());
                    ManagementJson.time(g, "revoked_at", c.revokedAt());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        });
    }

    @PostMapping("/v1/admin/redemption_codes/{batch}/revoke")
    void revoke(@PathVariable String batch, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            codes.batch(batch).orElseThrow(() -> noBatch(batch));
            Set<String> ids = new LinkedHashSet<>();
            if (ex.body().length > 0) {
                ids.addAll(AdminRequests.strings(handler.jsonObject(ex), "code_ids"));
            }
            Set<String> known = codes.codes(batch).stream().map(RedemptionCodes.Code::id).collect(Collectors.toSet());
            for (String id : ids) {
                if (!known.contains(id)) {
                    throw ApiError.invalid("code_ids: no code '" + id + "' in batch " + batch, "code_ids");
                }
            }
            int revoked = codes.revoke(batch, ids);
            RedemptionCodes.Batch after = codes.batch(batch).orElseThrow(() -> noBatch(batch));
            send(ex, 200, g -> {
                g.writeStartObject();
                writeBatchFields(g, after);
                g.writeNumberProperty("revoked_now", revoked);
                g.writeEndObject();
            });
        });
    }

    @PostMapping("/v1/organization/redeem")
    void redeem(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization org = auth.callerOrganization(ex, Permission.ADD_CREDITS);
            String code = Fields.requiredString(handler.jsonObject(ex), "code", "code");
            if (code.length() > 100) {
                throw unknownCode();
            }
            Redemption outcome = codes.redeem(org.id(), code);
            Redemption.Redeemed done = switch (outcome) {
                case Redemption.Redeemed r -> r;
                case Redemption.Unknown u -> throw unknownCode();
                case Redemption.TakenByAnother t -> throw new ApiError(ErrorKind.CONFLICT,
                        "This redemption code was already redeemed (" + iso(t.redeemedAt()) + ").", "code", null);
                case Redemption.Revoked r -> throw ApiError.invalid("This redemption code was revoked ("
                        + iso(r.revokedAt()) + ") and can no longer be redeemed.", "code");
                case Redemption.Expired e -> throw ApiError.invalid("This redemption code expired ("
                        + iso(e.expiredAt()) + ") and can no longer be redeemed.", "code");
            };
            send(ex, 200, g -> {
                g.writeStartObject();
                g.writeStringProperty("object", "organization.redemption");
                g.writeStringProperty("organization_id", org.id());
                g.writeStringProperty("code_id", done.codeId());
                g.writeStringProperty("prefix", done.prefix());
                AdminController.writeMoney(g, "amount", done.amount());
                AdminController.writeMoney(g, "balance", done.balance());
                g.writeNumberProperty("redeemed_at", done.redeemedAt() / 1000);
                g.writeBooleanProperty("replayed", done.replayed());
                g.writeEndObject();
            });
        });
    }

    private static ApiError unknownCode() {
        return new ApiError(ErrorKind.NOT_FOUND, "No redemption code matches; check it for typos.", "code", null);
    }

    private static ApiError noBatch(String batch) {
        return new ApiError(ErrorKind.NOT_FOUND, "No batch of redemption codes '" + batch + "'.", "batch", null);
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static void writeBatchFields(JsonGenerator g, RedemptionCodes.Batch b) {
        g.writeStringProperty("object", "redemption_code.batch");
        g.writeStringProperty("id", b.id());
        AdminController.writeMoney(g, "amount", b.amount());
        g.writeNumberProperty("count", b.count());
        ManagementJson.time(g, "expires_at", b.expiresAt());
        ManagementJson.nullable(g, "memo", b.memo());
        g.writeStringProperty("created_by", b.createdBy());
        g.writeNumberProperty("created_at", b.createdAt() / 1000);
        g.writeNumberProperty("unused", b.unused());
        g.writeNumberProperty("redeemed", b.redeemed());
        g.writeNumberProperty("revoked", b.revoked());
        g.writeNumberProperty("expired", b.expired());
    }



    private void send(ApiExchange ex, int status, Consumer<JsonGenerator> body) throws IOException {
        ex.sendJson(status, json.bytes(body));
    }
}
