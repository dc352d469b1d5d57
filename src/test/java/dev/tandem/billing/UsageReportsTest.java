package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Prices;
import dev.tandem.support.TandemServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's usage and costs APIs, the CSV export and the reports API over real calls: the shape OpenAI's clients
 * read, grouping, filters, paging, isolation between organizations, and sums that come from the aggregates only.
 */
class UsageReportsTest {

    static final long DAY = 86_400L;

    static ChatUpstream upstream;
    static TandemServer server;
    static Admin admin;
    static String org;
    static String key1;
    static String key2;
    static Admin orgAdmin;

    /** A key of {@code org}: its id and secret. */
    static String[] key(String org, String role) {
        JsonNode k = admin.call("POST", "/v1/admin/organizations/" + org + "/api_keys",
                "{\"name\":\"k\",\"role\":\"" + role + "\"}").ok();
        return new String[] {k.path("id").asString(), k.path("secret").asString()};
    }

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(10, 5);
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "a"));
        s.putAll(upstream.model(1, "b"));
        // a call of a: 10 × 1000 + 5 × 2000 = 20,000 micro-units, costing Tandem 10 × 10 = 100
        Prices.put(s, 0, "a", "1000", "2000", "10");
        // a call of b: 10 × 100 + 5 × 100 = 1,500
        Prices.put(s, 1, "b", "100", "100", null);
        server = TandemServer.start(s);
        admin = new Admin(server);
        org = admin.prepaidOrganization("reported");
        admin.grant(org, "10.00", "reported-1");
        String[] k1 = key(org, "developer");
        String[] k2 = key(org, "developer");
        key1 = k1[0];
        key2 = k2[0];
        orgAdmin = new Admin(server, key(org, "admin")[1]);
        for (int i = 0; i < 3; i++) {
            assertThat(Calls.openAi(server, k1[1], "a", 5).status()).isEqualTo(200);
        }
        assertThat(Calls.openAi(server, k2[1], "a", 5).status()).isEqualTo(200);
        assertThat(Calls.openAi(server, k2[1], "b", 5).status()).isEqualTo(200);
        assertThat(Calls.anthropic(server, k2[1], "b", 5).status()).isEqualTo(200);
        // reports read the sums only: without the records of single calls they must say the same
        server.context().getBean(JdbcClient.class).sql("DELETE FROM usage_records WHERE organization_id = :o")
                .param("o", org).update();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static long today() {
        long now = System.currentTimeMillis() / 1000;
        return now - now % DAY;
    }

    static List<JsonNode> results(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.path("data").forEach(bucket -> bucket.path("results").forEach(out::add));
        return out;
    }

    static long total(List<JsonNode> results, String field) {
        return results.stream().mapToLong(r -> r.path(field).asLong()).sum();
    }

    @Test
    void completionsUsageHasOpenAisShapeWithEmptyDaysListed() {
        JsonNode page = orgAdmin.call("GET", "/v1/organization/usage/completions?start_time=" + (today() - 2 * DAY)
                + "&end_time=" + (today() + DAY), null).ok();

        assertThat(page.path("object").asString()).isEqualTo("page");
        assertThat(page.path("has_more").asBoolean()).isFalse();
        assertThat(page.path("next_page").isNull()).isTrue();
        assertThat(page.path("data")).hasSize(3);
        JsonNode first = page.path("data").get(0);
        assertThat(first.path("object").asString()).isEqualTo("bucket");
        assertThat(first.path("start_time").asLong()).isEqualTo(today() - 2 * DAY);
        assertThat(first.path("end_time").asLong()).isEqualTo(today() - DAY);
        assertThat(first.path("results")).isEmpty();
        JsonNode r = page.path("data").get(2).path("results").get(0);
        assertThat(r.propertyNames()).containsExactlyInAnyOrder("object", "input_tokens", "output_tokens",
                "input_cached_tokens", "input_audio_tokens", "output_audio_tokens", "num_model_requests", "project_id",
                "user_id", "api_key_id", "model", "batch");
        assertThat(r.path("object").asString()).isEqualTo("organization.usage.completions.result");
        assertThat(r.path("num_model_requests").asLong()).isEqualTo(6);
        assertThat(r.path("input_tokens").asLong()).isEqualTo(60);
        assertThat(r.path("output_tokens").asLong()).isEqualTo(30);
        assertThat(r.path("input_cached_tokens").asLong()).isZero();
        assertThat(r.path("model").isNull()).isTrue();
        assertThat(r.path("api_key_id").isNull()).isTrue();
        assertThat(r.path("project_id").isNull()).isTrue();
    }

    @Test
    void groupsByModelAndKeyAndFilters() {
        String base = "/v1/organization/usage/completions?start_time=" + today();
        for (String grouping : List.of("&group_by=model,api_key_id", "&group_by=model&group_by=api_key_id",
                "&group_by%5B%5D=model&group_by%5B%5D=api_key_id")) {
            List<JsonNode> rs = results(orgAdmin.call("GET", base + grouping, null).ok());
            assertThat(rs).extracting(r -> r.path("model").asString() + "/" + r.path("api_key_id").asString() + "="
                    + r.path("num_model_requests").asLong())
                    .containsExactlyInAnyOrder("a/" + key1 + "=3", "a/" + key2 + "=1", "b/" + key2 + "=2");
        }
        List<JsonNode> onlyB = results(orgAdmin.call("GET", base + "&group_by=model&models=b", null).ok());
        assertThat(onlyB).extracting(r -> r.path("model").asString()).containsExactly("b");
        List<JsonNode> onlyKey1 = results(orgAdmin.call("GET", base + "&api_key_ids=" + key1, null).ok());
        assertThat(total(onlyKey1, "num_model_requests")).isEqualTo(3);
        assertThat(onlyKey1.getFirst().path("api_key_id").isNull()).as("not grouped by key").isTrue();
    }

    @Test
    void hourlyBucketsPageWithACursor() {
        long start = System.currentTimeMillis() / 1000 - 3 * 3600;
        String base = "/v1/organization/usage/completions?bucket_width=1h&limit=2&start_time=" + start;
        List<JsonNode> all = new ArrayList<>();
        int pages = 0;
        String next = null;
        do {
            JsonNode page = orgAdmin.call("GET", base + (next == null ? "" : "&page=" + next), null).ok();
            assertThat(page.path("data").size()).isBetween(1, 2);
            page.path("data").forEach(b -> assertThat(b.path("end_time").asLong() - b.path("start_time").asLong())
                    .isEqualTo(3600));
            all.addAll(results(page));
            next = page.path("has_more").asBoolean() ? page.path("next_page").asString() : null;
            pages++;
        } while (next != null && pages < 10);

        assertThat(pages).as("4 hours in pages of 2").isEqualTo(2);
        assertThat(total(all, "num_model_requests")).isEqualTo(6);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "bucket_width=1m&start_time=0|bucket_width|not available: Tandem sums usage per hour",
            "bucket_width=1w&start_time=0|bucket_width|1h or 1d",
            "end_time=5|start_time|Field required",
            "start_time=yesterday|start_time|a Unix time in seconds",
            "start_time=100&end_time=50|end_time|must be after start_time",
            "start_time=0&limit=0|limit|from 1 to 31",
            "start_time=0&bucket_width=1h&limit=169|limit|from 1 to 168",
            "start_time=0&group_by=user_id|group_by|'user_id' is not supported",
            "start_time=0&project_ids=p1|project_ids|no projects",
            "start_time=0&page=garbage|page|not a cursor"})
    void refusesBadQueriesWithAClearError(String query, String param, String message) {
        Admin.Reply r = orgAdmin.call("GET", "/v1/organization/usage/completions?" + query, null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("error").path("param").asString()).isEqualTo(param);
        assertThat(r.body().path("error").path("message").asString()).contains(message);
    }

    @Test
    void costsAreWhatTheOrganizationPaidPerModel() {
        JsonNode page = orgAdmin.call("GET", "/v1/organization/costs?group_by=line_item&start_time=" + today(), null)
                .ok();

        List<JsonNode> rs = results(page);
        assertThat(rs).extracting(r -> r.path("line_item").asString() + "=" + r.path("amount").path("value").decimalValue()
                .toPlainString() + " " + r.path("amount").path("currency").asString())
                .containsExactlyInAnyOrder("a=0.08 usd", "b=0.003 usd");
        assertThat(rs.getFirst().path("object").asString()).isEqualTo("organization.costs.result");
        assertThat(rs.getFirst().has("project_id")).isTrue();

        List<JsonNode> total = results(orgAdmin.call("GET", "/v1/organization/costs?start_time=" + today(), null).ok());
        assertThat(total).hasSize(1);
        assertThat(total.getFirst().path("amount").path("value").decimalValue()).isEqualByComparingTo("0.083");
        assertThat(total.getFirst().path("line_item").isNull()).isTrue();

        Admin.Reply hourly = orgAdmin.call("GET", "/v1/organization/costs?bucket_width=1h&start_time=0", null);
        assertThat(hourly.status()).isEqualTo(400);
        assertThat(hourly.body().path("error").path("message").asString()).contains("per day");
    }

    @Test
    void eachOrganizationSeesOnlyItsOwnUsage() {
        String other = admin.prepaidOrganization("other");
        Admin otherAdmin = new Admin(server, key(other, "admin")[1]);
        String path = "/v1/organization/usage/completions?start_time=" + today();

        assertThat(results(otherAdmin.call("GET", path, null).ok())).isEmpty();
        assertThat(otherAdmin.call("GET", path + "&organization_id=" + org, null).status())
                .as("another organization looks like none").isEqualTo(404);
        assertThat(new Admin(server, key(org, "developer")[1]).call("GET", path, null).status())
                .as("a developer key reads no reports").isEqualTo(403);
        assertThat(total(results(admin.call("GET", path + "&organization_id=" + org, null).ok()),
                "num_model_requests")).as("the platform admin may read any").isEqualTo(6);
    }

    static HttpResponse<String> csv(String secret, String query) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url(
                        "/v1/organization/usage/export.csv?" + query))).header("authorization", "Bearer " + secret)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void exportsOneCsvRowPerDayModelAndKey() throws Exception {
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        String orgAdminSecret = key(org, "admin")[1];

        HttpResponse<String> r = csv(orgAdminSecret, "start_time=" + today());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
        assertThat(r.headers().firstValue("content-disposition").orElse("")).contains("attachment", ".csv");
        assertThat(r.body().split("\r\n")).containsExactlyInAnyOrder(
                "date,model,api_key_id,requests,input_tokens,cached_tokens,output_tokens,reasoning_tokens,price,cost",
                date + ",a," + key1 + ",3,30,0,15,0,0.060000,",
                date + ",a," + key2 + ",1,10,0,5,0,0.020000,",
                date + ",b," + key2 + ",2,20,0,10,0,0.003000,");

        HttpResponse<String> platform = csv(TandemServer.ADMIN_KEY, "organization_id=" + org + "&start_time="
                + today());
        assertThat(platform.body()).as("the engine cost, for the platform admin only")
                .contains(date + ",a," + key1 + ",3,30,0,15,0,0.060000,0.000300");

        HttpResponse<String> bad = csv(orgAdminSecret, "end_time=5");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("start_time");
    }

    @Test
    void theReportsApiGivesDailySeriesPerModelAndPerKey() {
        UsageReports reports = server.context().getBean(UsageReports.class);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        List<UsageReports.Sum> perModel = reports.dailyByModel(org, today.minusDays(7), today.plusDays(1));
        List<UsageReports.Sum> perKey = reports.dailyByKey(org, today.minusDays(7), today.plusDays(1));

        assertThat(perModel).extracting(s -> s.model() + "=" + s.requests() + "/" + s.price())
                .containsExactly("a=4/80000", "b=2/3000");
        assertThat(perKey).extracting(s -> s.apiKeyId() + "=" + s.requests())
                .containsExactlyInAnyOrder(key1 + "=3", key2 + "=3");
        assertThat(perModel.getFirst().periodStart()).isEqualTo(today.toEpochDay() * DAY * 1000);
    }
}
