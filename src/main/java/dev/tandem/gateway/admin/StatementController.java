package dev.tandem.gateway.admin;

import dev.tandem.billing.UsageReports;
import dev.tandem.billing.UsageReports.Statement;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;

/**
 * {@code GET /v1/organization/statements/{yyyy-mm}}: an organization's monthly statement (UTC months) as a
 * printable HTML page, or as JSON with {@code Accept: application/json}. The current month is provisional; months
 * that have not begun are refused.
 */
@RestController
class StatementController {

    private final GatewayHandler handler;
    private final JsonWriter json;
    private final ManagementAuth auth;
    private final UsageReports reports;
    private final Clock clock;

    StatementController(GatewayHandler handler, JsonWriter json, ManagementAuth auth, UsageReports reports,
            Clock clock) {
        this.handler = handler;
        this.json = json;
        this.auth = auth;
        this.reports = reports;
        this.clock = clock;
    }

    @GetMapping("/v1/organization/statements/{month}")
    void statement(@PathVariable String month, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization org = auth.callerOrganization(ex, Permission.READ_CREDITS);
            YearMonth m = month(month);
            if (m.isAfter(YearMonth.now(clock.withZone(ZoneOffset.UTC)))) {
                throw ApiError.invalid("month: " + m + " has not begun; statements cover months up to the current one",
                        "month");
            }
            Statement s = reports.statement(org.id(), m);
            String accept = request.getHeader("accept");
            if (accept != null && accept.contains("application/json")) {
                ex.sendJson(200, json.bytes(g -> write(g, org, s)));
                return;
            }
            byte[] html = StatementPage.render(org, s, clock.millis()).getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType("text/html; charset=utf-8");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentLength(html.length);
            response.getOutputStream().write(html);
        });
    }

    private static YearMonth month(String text) {
        try {
            if (!text.matches("\\d{4}-\\d{2}")) {
                throw new DateTimeParseException("not yyyy-mm", text, 0);
            }
            YearMonth m = YearMonth.parse(text);
            if (m.getYear() < 2000) {
                throw new DateTimeParseException("before 2000", text, 0);
            }
            return m;
        } catch (DateTimeParseException e) {
            throw ApiError.invalid("month: a month as yyyy-mm, such as 2026-03, was '"
                    + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "'", "month");
        }
    }

    private static void write(JsonGenerator g, Organization org, Statement s) {
        g.writeStartObject();
        g.writeStringProperty("object", "organization.statement");
        g.writeStringProperty("organization_id", org.id());
        g.writeStringProperty("organization_name", org.name());
        g.writeStringProperty("month", s.month().toString());
        g.writeNumberProperty("start_time", s.from() / 1000);
        g.writeNumberProperty("end_time", s.to() / 1000);
        g.writeBooleanProperty("provisional", s.provisional());
        g.writeStringProperty("currency", "usd");
        AdminController.writeMoney(g, "opening_balance", s.openingBalance());
        AdminController.writeMoney(g, "top_ups_total", s.topUpTotal());
        AdminController.writeMoney(g, "spend", s.spend());
        AdminController.writeMoney(g, "closing_balance", s.closingBalance());
        g.writeArrayPropertyStart("top_ups");
        for (UsageReports.TopUp t : s.topUps()) {
            g.writeStartObject();
            g.writeNumberProperty("created_at", t.at() / 1000);
            g.writeStringProperty("kind", t.kind());
            ManagementJson.nullable(g, "memo", t.memo());
            AdminController.writeMoney(g, "amount", t.amount());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayPropertyStart("lines");
        for (UsageReports.Line l : s.lines()) {
            g.writeStartObject();
            g.writeStringProperty("model", l.model());
            g.writeNumberProperty("requests", l.requests());
            g.writeNumberProperty("input_tokens", l.inputTokens());
            g.writeNumberProperty("cached_tokens", l.cachedTokens());
            g.writeNumberProperty("output_tokens", l.outputTokens());
            g.writeNumberProperty("reasoning_tokens", l.reasoningTokens());
            AdminController.writeMoney(g, "amount", l.amount());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
