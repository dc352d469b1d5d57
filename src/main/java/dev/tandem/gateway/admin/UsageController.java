package dev.tandem.gateway.admin;

import dev.tandem.billing.Money;
import dev.tandem.billing.UsageReports;
import dev.tandem.billing.UsageReports.Period;
import dev.tandem.billing.UsageReports.Sum;
import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;

/**
 * OpenAI's organization usage and costs APIs over Tandem's usage sums, so existing dashboards work:
 * {@code GET /v1/organization/usage/completions}, {@code GET /v1/organization/costs}, and a CSV export
 * {@code GET /v1/organization/usage/export.csv}. An admin key reads its own organization; the platform admin may
 * name another with {@code ?organization_id=}.
 *
 * <p>Buckets are whole UTC hours or days, because that is how usage is summed: the first bucket starts at
 * {@code start_time} rounded down to its hour or day (and says so in its {@code start_time}); empty buckets are
 * listed with no results, as OpenAI lists them. Costs are what the organization was charged (its multiplier
 * applied), in US dollars.
 */
@RestController
class UsageController {

    private static final List<String> USAGE_GROUPS = List.of("model", "api_key_id", "project_id");
    private static final List<String> COST_GROUPS = List.of("line_item", "project_id");

    private final GatewayHandler handler;
    private final JsonWriter json;
    private final ManagementAuth auth;
    private final UsageReports reports;
    private final Clock clock;

    UsageController(GatewayHandler handler, JsonWriter json, ManagementAuth auth, UsageReports reports, Clock clock) {
        this.handler = handler;
        this.json = json;
        this.auth = auth;
        this.reports = reports;
        this.clock = clock;
    }

    /** The buckets of one page of a report: bucket starts in {@code [start, stop)}, aligned to the period. */
    private record Page(Period period, long start, long stop, boolean more) {

        static Page of(ReportParams p, Period period, int defaultLimit, int maxLimit, long now) {
            long from = p.seconds("start_time", null);
            long end = p.seconds("end_time", now);
            if (end <= from) {
                throw ApiError.invalid("end_time: must be after start_time", "end_time");
            }
            int limit = p.integer("limit", defaultLimit, 1, maxLimit);
            long first = period.floor(from);
            Long cursor = p.page();
            if (cursor != null && (cursor < first || cursor >= end || (cursor - first) % period.millis() != 0)) {
                throw ApiError.invalid("page: the cursor does not belong to this start_time, end_time and "
                        + "bucket_width", "page");
            }
            long start = cursor != null ? cursor : first;
            long limitEnd = start + limit * period.millis();
            return new Page(period, start, Math.min(end, limitEnd), limitEnd < end);
        }
    }

    @GetMapping("/v1/organization/usage/completions")
    void completions(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization org = auth.callerOrganization(ex, Permission.READ_CREDITS);
            ReportParams p = new ReportParams(request);
            Period period = p.width(true);
            Page page = Page.of(p, period, period == Period.DAY ? 7 : 24, period == Period.DAY ? 31 : 168,
                    clock.millis());
            Set<String> groups = p.groupBy(USAGE_GROUPS);
            p.refuse("project_ids", "Tandem has no projects; filter by models or api_key_ids");
            p.refuse("user_ids", "Tandem reports usage per API key, not per user; filter by api_key_ids");
            List<Sum> sums = reports.usage(new UsageReports.Query(org.id(), period, page.start(), page.stop(),
                    groups.contains("model"), groups.contains("api_key_id"), p.list("models"),
                    p.list("api_key_ids")));
            send(ex, page, sums, (g, s) -> {
                g.writeStartObject();
                g.writeStringProperty("object", "organization.usage.completions.result");
                g.writeNumberProperty("input_tokens", s.inputTokens());
                g.writeNumberProperty("output_tokens", s.outputTokens());
                g.writeNumberProperty("input_cached_tokens", s.cachedTokens());
                g.writeNumberProperty("input_audio_tokens", 0);
                g.writeNumberProperty("output_audio_tokens", 0);
                g.writeNumberProperty("num_model_requests", s.requests());
                g.writeNullProperty("project_id");
                g.writeNullProperty("user_id");
                ManagementJson.nullable(g, "api_key_id", s.apiKeyId());
                ManagementJson.nullable(g, "model", s.model());
                g.writeNullProperty("batch");
                g.writeEndObject();
            });
        });
    }

    @GetMapping("/v1/organization/costs")
    void costs(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization org = auth.callerOrganization(ex, Permission.READ_CREDITS);
            ReportParams p = new ReportParams(request);
            Period period = p.width(false);
            Page page = Page.of(p, period, 7, 180, clock.millis());
            Set<String> groups = p.groupBy(COST_GROUPS);
            p.refuse("project_ids", "Tandem has no projects");
            List<Sum> sums = reports.usage(new UsageReports.Query(org.id(), period, page.start(), page.stop(),
                    groups.contains("line_item"), false, Set.of(), Set.of()));
            send(ex, page, sums, (g, s) -> {
                g.writeStartObject();
                g.writeStringProperty("object", "organization.costs.result");
                g.writeObjectPropertyStart("amount");
                g.writeName("value");
                g.writeNumber(dollars(s.price()));
                g.writeStringProperty("currency", "usd");
                g.writeEndObject();
                ManagementJson.nullable(g, "line_item", s.model());
                g.writeNullProperty("project_id");
                g.writeEndObject();
            });
        });
    }

    /** An exact decimal amount in currency units (no floating point): {@code 0.06}, {@code 0}. */
    private static String dollars(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }


    /** Writes a page of buckets, each with the sums of its period (in order), and the cursor of the next page. */
    private void send(ApiExchange ex, Page page, List<Sum> sums, BiConsumer<JsonGenerator, Sum> result)
            throws IOException {
        long w = page.period().millis();
        ex.sendJson(200, json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("object", "page");
            g.writeArrayPropertyStart("data");
            int i = 0;
            for (long bucket = page.start(); bucket < page.stop(); bucket += w) {
                g.writeStartObject();
                g.writeStringProperty("object", "bucket");
                g.writeNumberProperty("start_time", bucket / 1000);
                g.writeNumberProperty("end_time", (bucket + w) / 1000);
                g.writeArrayPropertyStart("results");
                while (i < sums.size() && sums.get(i).periodStart() < bucket + w) {
                    result.accept(g, sums.get(i++));
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanProperty("has_more", page.more());
            if (page.more()) {
                g.writeStringProperty("next_page", ReportParams.cursor(page.stop()));
            } else {
                g.writeNullProperty("next_page");
            }
            g.writeEndObject();
        }));
    }

    /**
     * One CSV row per UTC day, model and API key in {@code [start_time, end_time)}. Amounts are decimal strings;
     * the engine cost column is filled for the platform admin only (it is Tandem's, not the customer's, figure).
     */
    @GetMapping("/v1/organization/usage/export.csv")
    void export(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            Organization org = auth.callerOrganization(ex, Permission.READ_CREDITS);
            ReportParams p = new ReportParams(request);
            long from = Period.DAY.floor(p.seconds("start_time", null));
            long end = p.seconds("end_time", clock.millis());
            if (end <= from) {
                throw ApiError.invalid("end_time: must be after start_time", "end_time");
            }
            boolean withCost = ex.principal().platformAdmin();
            response.setStatus(200);
            response.setContentType("text/csv; charset=utf-8");
            response.setHeader("Content-Disposition", "attachment; filename=\"usage-" + org.id() + "-"
                    + day(from) + "-" + day(end - 1) + ".csv\"");
            Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                    16_384);
            out.write("date,model,api_key_id,requests,input_tokens,cached_tokens,output_tokens,reasoning_tokens,"
                    + "price,cost\r\n");
            try {
                reports.forEach(new UsageReports.Query(org.id(), Period.DAY, from, end, true, true, Set.of(), Set.of()),
                        s -> row(out, s, withCost));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            out.flush();
        });
    }

    private static void row(Writer out, Sum s, boolean withCost) {
        try {
            out.write(day(s.periodStart()) + "," + csv(s.model()) + "," + csv(s.apiKeyId()) + "," + s.requests() + ","
                    + s.inputTokens() + "," + s.cachedTokens() + "," + s.outputTokens() + "," + s.reasoningTokens()
                    + "," + Money.format(s.price()) + "," + (withCost ? Money.format(s.cost()) : "") + "\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String day(long millis) {
        return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** A text field of RFC 4180 CSV; one that a spreadsheet would run as a formula is prefixed with {@code '}. */
    static String csv(@org.jspecify.annotations.Nullable String value) {
        if (value == null) {
            return "";
        }
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
