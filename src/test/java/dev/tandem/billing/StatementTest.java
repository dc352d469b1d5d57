package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Databases;
import dev.tandem.support.Prices;
import dev.tandem.support.TandemServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Monthly statements from the ledger and the daily sums: opening balance, top-ups, spend per model and closing
 * balance agree with the calls made and with the balance, month after month; the HTML page escapes everything.
 */
class StatementTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String NAME = "Ünïcode & <script>alert('x')</script> Ltd";

    static ChatUpstream upstream;
    static TandemServer server;
    static Admin admin;
    static String org;
    static String orgAdminKey;
    static YearMonth thisMonth = YearMonth.now(ZoneOffset.UTC);

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(10, 5);
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "alpha"));
        s.putAll(upstream.model(1, "beta"));
        Prices.put(s, 0, "alpha", "1000", "2000", null); // 20,000 a call
        Prices.put(s, 1, "beta", "100", "100", null); // 1,500 a call
        server = TandemServer.start(s);
        admin = new Admin(server);
        org = admin.call("POST", "/v1/admin/organizations", JSON.createObjectNode().put("name", NAME)
                .put("billing_mode", "prepaid").toString()).ok().path("id").asString();
        orgAdminKey = admin.key(org, "admin", "");
        String key = admin.key(org, "developer", "");
        admin.grant(org, "5.00", "statement-1");
        String code = admin.call("POST", "/v1/admin/redemption_codes", "{\"count\":1,\"amount\":\"2.50\"}").ok()
                .path("codes").get(0).asString();
        new Admin(server, orgAdminKey).call("POST", "/v1/organization/redeem", "{\"code\":\"" + code + "\"}").ok();
        for (int i = 0; i < 3; i++) {
            assertThat(Calls.openAi(server, key, "alpha", 5).status()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(Calls.miniMax(server, key, "beta", 5).status()).isEqualTo(200);
        }
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

    static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("authorization", "Bearer " + orgAdminKey);
        if (accept != null) {
            b.header("accept", accept);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode statement(YearMonth month) throws Exception {
        HttpResponse<String> r = get("/v1/organization/statements/" + month, "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void theMonthAddsUpToTheCallsMadeAndTheBalance() throws Exception {
        JsonNode s = statement(thisMonth);

        assertThat(s.path("organization_name").asString()).isEqualTo(NAME);
        assertThat(s.path("provisional").asBoolean()).isTrue();
        assertThat(s.path("opening_balance_micros").asLong()).isZero();
        assertThat(s.path("top_ups_total_micros").asLong()).isEqualTo(7_500_000);
        assertThat(s.path("top_ups")).extracting(t -> t.path("kind").asString() + "=" + t.path("amount_micros").asLong())
                .containsExactly("grant=5000000", "redeem=2500000");
        assertThat(s.path("lines")).hasSize(2);
        JsonNode alpha = s.path("lines").get(0);
        assertThat(alpha.path("model").asString()).isEqualTo("alpha");
        assertThat(alpha.path("requests").asLong()).isEqualTo(3);
        assertThat(alpha.path("input_tokens").asLong()).isEqualTo(30);
        assertThat(alpha.path("output_tokens").asLong()).isEqualTo(15);
        assertThat(alpha.path("amount_micros").asLong()).isEqualTo(60_000);
        assertThat(s.path("lines").get(1).path("amount_micros").asLong()).isEqualTo(3_000);
        assertThat(s.path("spend_micros").asLong()).isEqualTo(63_000);
        long[] credits = admin.credits(org);
        assertThat(s.path("closing_balance_micros").asLong()).as("the balance now")
                .isEqualTo(credits[0] + credits[1]).isEqualTo(7_500_000 - 63_000);
        assertThat(s.path("closing_balance").asString()).isEqualTo("7.437000");
    }

    @Test
    void aPastMonthClosesWhereTheNextOpens() throws Exception {
        YearMonth last = thisMonth.minusMonths(1);
        long lastMonthDay = last.atDay(10).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        pastActivity(lastMonthDay, 1_000_000, 250_000);
        try {
            JsonNode previous = statement(last);
            JsonNode current = statement(thisMonth);

            assertThat(previous.path("provisional").asBoolean()).isFalse();
            assertThat(previous.path("opening_balance_micros").asLong()).isZero();
            assertThat(previous.path("top_ups_total_micros").asLong()).isEqualTo(1_000_000);
            assertThat(previous.path("spend_micros").asLong()).isEqualTo(250_000);
            assertThat(previous.path("closing_balance_micros").asLong()).isEqualTo(750_000);
            assertThat(current.path("opening_balance_micros").asLong()).isEqualTo(750_000);
            assertThat(current.path("closing_balance_micros").asLong()).isEqualTo(750_000 + 7_500_000 - 63_000);
            assertThat(statement(last.minusMonths(1)).path("closing_balance_micros").asLong()).isZero();
            assertThat(server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
        } finally {
            pastActivity(lastMonthDay, -1_000_000, -250_000);
        }
    }

    /**
     * Last month's activity, written as the ledger writer would have (a grant, a settled call and its daily sum),
     * or taken back with negative amounts.
     */
    static void pastActivity(long at, long granted, long spent) {
        JdbcClient jdbc = server.context().getBean(JdbcClient.class);
        String credits = "org:" + org + ":credits";
        String suffix = granted > 0 ? "" : "-undo";
        posting(jdbc, "past-grant" + suffix, "grant", at, "platform:grants", credits, granted);
        posting(jdbc, "past-settle" + suffix, "settle", at, credits, "platform:revenue", spent);
        if (granted > 0) {
            jdbc.sql("INSERT INTO usage_daily (organization_id, api_key_id, model, day, requests, input_tokens, "
                            + "cached_tokens, output_tokens, reasoning_tokens, price, cost) VALUES (:o, 'key-past', "
                            + "'alpha', :day, 1, 10, 0, 5, 0, :p, 0)")
                    .param("o", org).param("day", at - at % 86_400_000L).param("p", spent).update();
        } else {
            jdbc.sql("DELETE FROM usage_daily WHERE api_key_id = 'key-past'").update();
        }
    }

    static void posting(JdbcClient jdbc, String id, String kind, long at, String from, String to, long amount) {
        jdbc.sql("INSERT INTO ledger_transactions (id, idempotency_key, kind, organization_id, memo, created_at) "
                + "VALUES (:id, :id, :kind, :o, 'test fixture', :at)").param("id", id).param("kind", kind)
                .param("o", org).param("at", at).update();
        jdbc.sql("INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, created_at) VALUES "
                + "(:id, 0, :from, :minus, :at), (:id, 1, :to, :amount, :at)").param("id", id).param("from", from)
                .param("to", to).param("minus", -amount).param("amount", amount).param("at", at).update();
        jdbc.sql("UPDATE ledger_accounts SET balance = balance - :a WHERE id = :id").param("a", amount)
                .param("id", from).update();
        jdbc.sql("UPDATE ledger_accounts SET balance = balance + :a WHERE id = :id").param("a", amount)
                .param("id", to).update();
    }

    @Test
    void addsUpOnPostgresqlToo() throws Exception {
        try (Databases.Fresh db = Databases.freshPostgres()) {
            Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "alpha"));
            Prices.put(s, 0, "alpha", "1000", "2000", null);
            s.put("tandem.db.url", db.url());
            try (TandemServer pg = TandemServer.start(s)) {
                Admin a = new Admin(pg);
                String o = a.prepaidOrganization("on-postgres");
                a.grant(o, "1.00", "pg-1");
                assertThat(Calls.openAi(pg, a.key(o, "developer", ""), "alpha", 5).status()).isEqualTo(200);

                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pg.url(
                                "/v1/organization/statements/" + thisMonth + "?organization_id=" + o)))
                        .header("authorization", "Bearer " + TandemServer.ADMIN_KEY)
                        .header("accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                JsonNode st = JSON.readTree(r.body());

                assertThat(st.path("object").asString()).isEqualTo("organization.statement");
                assertThat(st.path("spend_micros").asLong()).isEqualTo(20_000);
                assertThat(st.path("closing_balance_micros").asLong()).isEqualTo(980_000);
            }
        }
    }

    @Test
    void thePrintablePageShowsTheSameFiguresWithEveryValueEscaped() throws Exception {
        HttpResponse<String> r = get("/v1/organization/statements/" + thisMonth, "text/html");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(r.headers().firstValue("content-security-policy").orElse("")).contains("default-src 'none'");
        String html = r.body();
        assertThat(html).startsWith("<!doctype html>").contains("@media print");
        assertThat(html).doesNotContain("<script>").doesNotContain("alert('x')")
                .contains("Ünïcode &amp; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Ltd");
        assertThat(html).contains("Opening balance").contains("$0.00").contains("$7.50").contains("-$0.063")
                .contains("$7.437").contains("Redemption code").contains("Credit grant");
        assertThat(html).contains("<td>alpha</td><td class=\"n\">3</td><td class=\"n\">30</td>")
                .contains("$0.06</td>").contains("$0.003</td>");
    }

    @Test
    void refusesMonthsThatAreMalformedOrHaveNotBegun() throws Exception {
        for (String bad : new String[] {"2026-13", "2026-1", "november", "1999-12"}) {
            HttpResponse<String> r = get("/v1/organization/statements/" + bad, "application/json");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).contains("yyyy-mm");
        }
        HttpResponse<String> future = get("/v1/organization/statements/" + thisMonth.plusMonths(1), null);
        assertThat(future.statusCode()).isEqualTo(400);
        assertThat(future.body()).contains("has not begun");
        String other = admin.prepaidOrganization("stranger");
        Admin stranger = new Admin(server, admin.key(other, "admin", ""));
        assertThat(stranger.call("GET", "/v1/organization/statements/" + thisMonth + "?organization_id=" + org, null)
                .status()).isEqualTo(404);
    }
}
