package dev.tandem.gateway.admin;

import dev.tandem.billing.LowBalanceAlerts;
import dev.tandem.billing.Money;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.Fields;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * An organization's low-balance alert: {@code GET|PUT /v1/organization/low_balance_alert}. PUT takes
 * {@code {"threshold":"5.00","webhook_url":"https://…","rotate_secret":false}} (a field left out or null is
 * cleared); the answer carries the signing secret of the webhook and its latest deliveries. See
 * {@link LowBalanceAlerts} for when alerts fire and how they are signed.
 */
@RestController
class BalanceAlertController {

    private static final long MAX_THRESHOLD = 1_000_000L * Money.MICROS_PER_UNIT;
    private static final Set<String> FIELDS = Set.of("threshold", "webhook_url", "rotate_secret");

    private final GatewayHandler handler;
    private final JsonWriter json;
    private final ManagementAuth auth;
    private final LowBalanceAlerts alerts;

    BalanceAlertController(GatewayHandler handler, JsonWriter json, ManagementAuth auth, LowBalanceAlerts alerts) {
        this.handler = handler;
        this.json = json;
        this.auth = auth;
        this.alerts = alerts;
    }

    @GetMapping("/v1/organization/low_balance_alert")
    void get(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization org = auth.callerOrganization(ex, Permission.MANAGE_ORGANIZATION);
            send(ex, alerts.settings(org.id()));
        });
    }

    @PutMapping("/v1/organization/low_balance_alert")
    void put(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization org = auth.callerOrganization(ex, Permission.MANAGE_ORGANIZATION);
            JsonNode body = handler.jsonObject(ex);
            for (String field : body.propertyNames()) {
                if (!FIELDS.contains(field)) {
                    throw ApiError.invalid(field + ": unknown field; use threshold, webhook_url and rotate_secret",
                            field);
                }
            }
            long threshold = AdminRequests.money(body, "threshold", false);
            if (body.hasNonNull("threshold") && (threshold < 0 || threshold > MAX_THRESHOLD)) {
                throw ApiError.invalid("threshold: from 0 to " + Money.format(MAX_THRESHOLD), "threshold");
            }
            String url = webhookUrl(Fields.optionalString(body, "webhook_url", "webhook_url"));
            Boolean rotate = Fields.optionalBoolean(body, "rotate_secret", "rotate_secret");
            send(ex, alerts.configure(org.id(), body.hasNonNull("threshold") ? threshold : null, url,
                    Boolean.TRUE.equals(rotate)));
        });
    }

    private static @Nullable String webhookUrl(@Nullable String url) {
        if (url == null || url.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (url.length() > 2000 || uri.getHost() == null || uri.getScheme() == null
                    || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                throw new URISyntaxException(url, "not an absolute http(s) URL with a host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw ApiError.invalid("webhook_url: an absolute http(s) URL of at most 2000 characters, was '"
                    + (url.length() > 100 ? url.substring(0, 100) + "…" : url) + "'", "webhook_url");
        }
    }

    private void send(ApiExchange ex, LowBalanceAlerts.Settings s) throws IOException {
        ex.sendJson(200, json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("object", "organization.low_balance_alert");
            g.writeStringProperty("organization_id", s.organizationId());
            if (s.threshold() == null) {
                g.writeNullProperty("threshold");
            } else {
                AdminController.writeMoney(g, "threshold", s.threshold());
            }
            ManagementJson.nullable(g, "webhook_url", s.webhookUrl());
            ManagementJson.nullable(g, "signing_secret", s.signingSecret());
            g.writeStringProperty("signature_header", "tandem-signature");
            g.writeBooleanProperty("alerted", s.alerted());
            g.writeArrayPropertyStart("deliveries");
            for (LowBalanceAlerts.Delivery d : alerts.deliveries(s.organizationId(), 10)) {
                g.writeStartObject();
                g.writeStringProperty("id", d.id());
                g.writeStringProperty("type", d.eventType());
                g.writeStringProperty("status", d.status());
                g.writeNumberProperty("attempts", d.attempts());
                ManagementJson.time(g, "created_at", d.createdAt());
                ManagementJson.time(g, "delivered_at", d.deliveredAt());
                ManagementJson.nullable(g, "last_error", d.lastError());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }
}
