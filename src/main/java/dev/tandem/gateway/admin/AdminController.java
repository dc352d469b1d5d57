package dev.tandem.gateway.admin;

import dev.tandem.billing.Billing;
import dev.tandem.billing.BillingProfile;
import dev.tandem.billing.Money;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.Fields;
import dev.tandem.identity.ApiKeyInfo;
import dev.tandem.identity.ApiKeys;
import dev.tandem.identity.CreatedKey;
import dev.tandem.identity.KeySpec;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Organizations;
import dev.tandem.identity.Permission;
import dev.tandem.inference.Inference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The management API: organizations, their API keys, billing terms and credits. Callers are API keys or console
 * sessions; {@link ManagementAuth} decides what each may do (an admin key of the owner organization manages every
 * organization; an admin key of another organization manages its own, which the path may name as {@code me};
 * developer keys manage nothing; people act with their role). Errors use OpenAI's error shape.
 */
@RestController
class AdminController {

    private final ManagementAuth auth;
    private final Organizations organizations;
    private final ApiKeys keys;
    private final Billing billing;
    private final Inference inference;

    AdminController(ManagementAuth auth, Organizations organizations, ApiKeys keys, Billing billing,
            Inference inference) {
        this.auth = auth;
        this.organizations = organizations;
        this.keys = keys;
        this.billing = billing;
        this.inference = inference;
    }

    // ---- organizations

    @PostMapping("/v1/admin/organizations")
    void createOrganization(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            JsonNode body = auth.body(ex);
            String name = Fields.requiredString(body, "name", "name");
            if (name.isBlank() || name.length() > 200) {
                throw ApiError.invalid("name: 1 to 200 characters", "name");
            }
            BillingTerms terms = BillingTerms.read(body);
            Organization org = organizations.create(name.strip());
            if (terms.changes()) {
                billing.updateProfile(terms.apply(billing.profile(org.id())));
            }
            send(ex, 201, g -> writeOrganization(g, org));
        });
    }

    @GetMapping("/v1/admin/organizations")
    void listOrganizations(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            auth.sendList(ex, organizations.list(), this::writeOrganization);
        });
    }

    @GetMapping("/v1/admin/organizations/{org}")
    void getOrganization(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization o = auth.organization(ex, org, Permission.READ_ORGANIZATION).organization();
            send(ex, 200, g -> writeOrganization(g, o));
        });
    }

    @PatchMapping("/v1/admin/organizations/{org}")
    void updateOrganization(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization o = auth.organization(ex, org, Permission.MANAGE_ORGANIZATION).organization();
            JsonNode body = auth.body(ex);
            BillingTerms terms = BillingTerms.read(body);
            if ((terms.prepaid() != null || terms.multiplierBp() != null || terms.rpmGiven() || terms.tpmGiven())
                    && !ManagementAuth.isPlatformAdmin(ex)) {
                throw new ApiError(ErrorKind.PERMISSION,
                        "Only the platform owner sets billing modes, discounts and organization rate limits.", null,
                        null);
            }
            boolean modelsGiven = body.has("models");
            List<String> models = modelsGiven ? AdminRequests.strings(body, "models") : o.models();
            for (String m : models) {
                if (inference.model(m).isEmpty()) {
                    throw ApiError.invalid("models: there is no model '" + m + "'", "models");
                }
            }
            if (modelsGiven && !ManagementAuth.isPlatformAdmin(ex)) {
                throw new ApiError(ErrorKind.PERMISSION, "Only the platform owner sets which models an organization "
                        + "may call.", "models", null);
            }
            Boolean fallbacks = Fields.optionalBoolean(body, "allow_fallbacks", "allow_fallbacks");
            Boolean priority = Fields.optionalBoolean(body, "priority_tier", "priority_tier");
            if (priority != null && !ManagementAuth.isPlatformAdmin(ex)) {
                throw new ApiError(ErrorKind.PERMISSION, "Only the platform owner sets an organization's priority "
                        + "tier.", "priority_tier", null);
            }
            billing.updateProfile(terms.apply(billing.profile(o.id())));
            Organization updated = modelsGiven || fallbacks != null || priority != null
                    ? organizations.updateAccess(o.id(), models, fallbacks != null ? fallbacks : o.allowFallbacks(),
                            priority != null ? priority : o.priorityTier())
                    : o;
            send(ex, 200, g -> writeOrganization(g, updated));
        });
    }

    private void writeOrganization(JsonGenerator g, Organization o) {
        BillingProfile p = billing.profile(o.id());
        g.writeStartObject();
        g.writeStringProperty("object", "organization");
        g.writeStringProperty("id", o.id());
        g.writeStringProperty("name", o.name());
        g.writeBooleanProperty("owner", o.owner());
        g.writeNumberProperty("created_at", o.createdAt() / 1000);
        if (o.models().isEmpty()) {
            g.writeNullProperty("models");
        } else {
            g.writeArrayPropertyStart("models");
            o.models().forEach(g::writeString);
            g.writeEndArray();
        }
        g.writeBooleanProperty("allow_fallbacks", o.allowFallbacks());
        g.writeBooleanProperty("priority_tier", o.priorityTier());
        g.writeObjectPropertyStart("billing");
        g.writeStringProperty("mode", p.prepaid() ? "prepaid" : "unlimited");
        g.writeNumberProperty("price_multiplier_bp", p.priceMultiplierBp());
        writeMoney(g, "balance", billing.balance(o.id()));
        writeMoney(g, "held", billing.held(o.id()));
        if (p.lowBalanceThreshold() != null) {
            writeMoney(g, "low_balance_threshold", p.lowBalanceThreshold());
        }
        if (p.lowBalanceWebhook() != null) {
            g.writeStringProperty("low_balance_webhook", p.lowBalanceWebhook());
        }
        g.writeEndObject();
        g.writeObjectPropertyStart("rate_limits");
        writeLimit(g, "rpm", p.rpm());
        writeLimit(g, "tpm", p.tpm());
        g.writeEndObject();
        g.writeEndObject();
    }

    // ---- credits

    @PostMapping("/v1/admin/organizations/{org}/credits")
    void grant(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.platformAdmin(ex);
            Organization o = auth.find(ex, org);
            JsonNode body = auth.body(ex);
            long amount = AdminRequests.money(body, "amount", true);
            if (amount <= 0 || amount > 1_000_000_000_000L) {
                throw ApiError.invalid("amount: must be more than 0 and at most 1000000.00", "amount");
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
            long balance = billing.grant(o.id(), amount, o.id() + ":" + key, memo == null ? "admin grant" : memo);
            send(ex, 200, g -> {
                g.writeStartObject();
                g.writeStringProperty("object", "organization.credits");
                g.writeStringProperty("organization_id", o.id());
                writeMoney(g, "balance", balance);
                g.writeEndObject();
            });
        });
    }

    @GetMapping("/v1/admin/organizations/{org}/credits")
    void credits(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization o = auth.organization(ex, org, Permission.READ_CREDITS).organization();
            send(ex, 200, g -> {
                g.writeStartObject();
                g.writeStringProperty("object", "organization.credits");
                g.writeStringProperty("organization_id", o.id());
                writeMoney(g, "balance", billing.balance(o.id()));
                writeMoney(g, "held", billing.held(o.id()));
                g.writeEndObject();
            });
        });
    }

    // ---- API keys

    @PostMapping("/v1/admin/organizations/{org}/api_keys")
    void createKey(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.CREATE_KEYS);
            KeySpec spec = AdminRequests.keySpec(auth.body(ex), null, inference);
            a.requireKeyRole(spec.role());
            CreatedKey created = keys.create(a.id(), spec, a.actor());
            send(ex, 201, g -> writeKey(g, created.info(), created.secret()));
        });
    }

    @GetMapping("/v1/admin/organizations/{org}/api_keys")
    void listKeys(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization o = auth.organization(ex, org, Permission.READ_KEYS).organization();
            auth.sendList(ex, keys.list(o.id()), (g, k) -> writeKey(g, k, null));
        });
    }

    @GetMapping("/v1/admin/organizations/{org}/api_keys/{key}")
    void getKey(@PathVariable String org, @PathVariable String key, HttpServletRequest request,
            HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization o = auth.organization(ex, org, Permission.READ_KEYS).organization();
            ApiKeyInfo k = keys.find(o.id(), key).orElseThrow(() -> noKey(key));
            send(ex, 200, g -> writeKey(g, k, null));
        });
    }

    @PatchMapping("/v1/admin/organizations/{org}/api_keys/{key}")
    void updateKey(@PathVariable String org, @PathVariable String key, HttpServletRequest request,
            HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.CREATE_KEYS);
            ApiKeyInfo current = changeable(a, key);
            KeySpec spec = AdminRequests.keySpec(auth.body(ex), current.spec(), inference);
            a.requireKeyRole(spec.role());
            ApiKeyInfo updated = keys.update(a.id(), key, spec).orElseThrow(() -> noKey(key));
            send(ex, 200, g -> writeKey(g, updated, null));
        });
    }

    @DeleteMapping("/v1/admin/organizations/{org}/api_keys/{key}")
    void revokeKey(@PathVariable String org, @PathVariable String key, HttpServletRequest request,
            HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.CREATE_KEYS);
            if (key.equals(a.actor())) {
                throw ApiError.invalid("A key cannot revoke itself; use another admin key.", null);
            }
            changeable(a, key);
            if (!keys.revoke(a.id(), key)) {
                throw noKey(key);
            }
            ApiKeyInfo k = keys.find(a.id(), key).orElseThrow(() -> noKey(key));
            send(ex, 200, g -> writeKey(g, k, null));
        });
    }

    @PostMapping("/v1/admin/organizations/{org}/api_keys/{key}/rotate")
    void rotateKey(@PathVariable String org, @PathVariable String key, HttpServletRequest request,
            HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.CREATE_KEYS);
            changeable(a, key);
            CreatedKey created = keys.rotate(a.id(), key).orElseThrow(() -> noKey(key));
            send(ex, 201, g -> writeKey(g, created.info(), created.secret()));
        });
    }

    /** A valid key of the organization that the caller may change (its own, or any with MANAGE_KEYS). */
    private ApiKeyInfo changeable(ManagementAuth.Access a, String key) {
        ApiKeyInfo k = keys.find(a.id(), key).filter(i -> i.revokedAt() == null).orElseThrow(() -> noKey(key));
        if (!a.mayChange(k)) {
            throw new ApiError(ErrorKind.PERMISSION, "Your role (" + a.role().wire() + ") may change only the keys "
                    + "you made yourself.", "key", null);
        }
        return k;
    }

    private static ApiError noKey(String key) {
        return new ApiError(ErrorKind.NOT_FOUND, "No valid API key '" + key + "' in this organization.", "key", null);
    }

    private static void writeKey(JsonGenerator g, ApiKeyInfo k, @Nullable String secret) {
        g.writeStartObject();
        g.writeStringProperty("object", "organization.api_key");
        g.writeStringProperty("id", k.id());
        g.writeStringProperty("organization_id", k.organizationId());
        g.writeStringProperty("name", k.spec().name());
        g.writeStringProperty("role", k.spec().role().wire());
        g.writeStringProperty("prefix", k.prefix());
        if (secret != null) {
            g.writeStringProperty("secret", secret);
        }
        g.writeNumberProperty("created_at", k.createdAt() / 1000);
        writeTime(g, "revoked_at", k.revokedAt());
        writeTime(g, "expires_at", k.spec().expiresAt());
        writeTime(g, "last_used_at", k.lastUsedAt());
        writeStrings(g, "models", k.spec().models());
        writeStrings(g, "ip_allow", k.spec().ipAllow());
        if (k.spec().spendLimitDaily() != null) {
            writeMoney(g, "spend_limit_daily", k.spec().spendLimitDaily());
        }
        if (k.spec().spendLimitMonthly() != null) {
            writeMoney(g, "spend_limit_monthly", k.spec().spendLimitMonthly());
        }
        writeInt(g, "rpm", k.spec().rpm());
        writeInt(g, "tpm", k.spec().tpm());
        writeInt(g, "max_concurrent_streams", k.spec().maxStreams());
        g.writeEndObject();
    }

    // ---- helpers

    private static void writeTime(JsonGenerator g, String name, @Nullable Long millis) {
        if (millis == null) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, millis / 1000);
        }
    }

    private static void writeInt(JsonGenerator g, String name, @Nullable Integer value) {
        if (value == null) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, value);
        }
    }

    private static void writeStrings(JsonGenerator g, String name, java.util.List<String> values) {
        g.writeArrayPropertyStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** An amount as a decimal string plus its integer micro-units. */
    static void writeMoney(JsonGenerator g, String name, long micros) {
        g.writeStringProperty(name, Money.format(micros));
        g.writeNumberProperty(name + "_micros", micros);
    }

    private void send(ApiExchange ex, int status, java.util.function.Consumer<JsonGenerator> body) throws IOException {
        auth.send(ex, status, body);
    }

    /** Billing terms given in a request body; null fields stay as they are. */
    private static void writeLimit(JsonGenerator g, String name, @Nullable Integer value) {
        if (value == null) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, value);
        }
    }

    private record BillingTerms(@Nullable Boolean prepaid, @Nullable Integer multiplierBp, @Nullable Long threshold,
            boolean thresholdGiven, @Nullable String webhook, boolean webhookGiven, @Nullable Integer rpm,
            boolean rpmGiven, @Nullable Integer tpm, boolean tpmGiven) {

        static BillingTerms read(JsonNode body) {
            String mode = Fields.optionalString(body, "billing_mode", "billing_mode");
            if (mode != null && !mode.equals("prepaid") && !mode.equals("unlimited")) {
                throw ApiError.invalid("billing_mode: 'prepaid' or 'unlimited', was '" + mode + "'", "billing_mode");
            }
            Integer bp = Fields.optionalInt(body, "price_multiplier_bp", "price_multiplier_bp", 0, 100_000);
            long threshold = AdminRequests.money(body, "low_balance_threshold", false);
            String webhook = Fields.optionalString(body, "low_balance_webhook", "low_balance_webhook");
            if (webhook != null && !webhook.isEmpty() && !webhook.matches("https?://\\S{1,2000}")) {
                throw ApiError.invalid("low_balance_webhook: an http(s) URL", "low_balance_webhook");
            }
            return new BillingTerms(mode == null ? null : mode.equals("prepaid"), bp, threshold < 0 ? null : threshold,
                    body.has("low_balance_threshold"), webhook == null || webhook.isEmpty() ? null : webhook,
                    body.has("low_balance_webhook"),
                    Fields.optionalInt(body, "rpm", "rpm", 1, 10_000_000), body.has("rpm"),
                    Fields.optionalInt(body, "tpm", "tpm", 1, 2_000_000_000), body.has("tpm"));
        }

        boolean changes() {
            return prepaid != null || multiplierBp != null || thresholdGiven || webhookGiven || rpmGiven || tpmGiven;
        }

        BillingProfile apply(BillingProfile p) {
            return new BillingProfile(p.organizationId(), prepaid != null ? prepaid : p.prepaid(),
                    multiplierBp != null ? multiplierBp : p.priceMultiplierBp(),
                    thresholdGiven ? threshold : p.lowBalanceThreshold(), webhookGiven ? webhook : p.lowBalanceWebhook(),
                    rpmGiven ? rpm : p.rpm(), tpmGiven ? tpm : p.tpm());
        }
    }
}
