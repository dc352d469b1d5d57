package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Databases;
import dev.tandem.support.TandemServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prepaid credits on the real engine: refused before any engine work without credits, charged exactly what
 * was produced, durable before the answer ends, nothing for failures, and never more than the balance however
 * many calls race for it.
 */
class BillingTest {

    // 100 micro-units per prompt token, 200 per generated token; the engine costs a tenth of that
    static final String PRICES = "tandem.billing.prices[0].";

    static TandemServer server;
    static Admin admin;
    static JdbcClient jdbc;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static Map<String, String> settings() {
        Map<String, String> s = TandemServer.storiesSettings();
        s.put("tandem.inference.models[0].parallel", "4");
        s.put("tandem.inference.models[0].max-queue", "512");
        // room for an answer long enough that a client always leaves before it ends (aStreamCutShort…)
        s.put("tandem.inference.models[0].context-size", "8192");
        s.put("tandem.inference.models[1].id", "down");
        s.put("tandem.inference.models[1].engine", "openai");
        s.put("tandem.inference.models[1].base-url", "http://127.0.0.1:9/v1");
        s.put(PRICES + "model", "stories");
        s.put(PRICES + "input", "100");
        s.put(PRICES + "output", "200");
        s.put(PRICES + "cost-input", "10");
        s.put(PRICES + "cost-output", "20");
        s.put("tandem.billing.prices[1].model", "down");
        s.put("tandem.billing.prices[1].input", "100");
        s.put("tandem.billing.prices[1].output", "200");
        return s;
    }

    @BeforeAll
    static void start() {
        server = TandemServer.start(settings());
        admin = new Admin(server);
        jdbc = server.context().getBean(JdbcClient.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> chat(TandemServer on, String path, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(on.url(path)))
                .header("authorization", "Bearer " + key).header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String ask(String model, int maxTokens, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + ",\"stream_options\":{\"include_usage\":" + stream + "},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}";
    }

    @Test
    void refusesWithoutCreditsBeforeAnyEngineWorkInEveryDialect() throws Exception {
        String org = admin.prepaidOrganization("broke");
        String key = admin.key(org, "developer", "");

        HttpResponse<String> openai = chat(server, "/v1/chat/completions", key, ask("stories", 8, false));
        assertThat(openai.statusCode()).isEqualTo(402);
        assertThat(JSON.readTree(openai.body()).path("error").path("code").asString()).isEqualTo("insufficient_quota");
        assertThat(openai.body()).contains("credit balance is too low");

        HttpResponse<String> anthropic = chat(server, "/v1/messages", key, ask("stories", 8, false));
        assertThat(anthropic.statusCode()).isEqualTo(402);
        assertThat(JSON.readTree(anthropic.body()).path("error").path("type").asString()).isEqualTo("billing_error");

        HttpResponse<String> minimax = chat(server, "/v1/text/chatcompletion_v2", key, ask("stories", 8, false));
        assertThat(JSON.readTree(minimax.body()).path("base_resp").path("status_code").asInt()).isEqualTo(1008);

        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE organization_id = :o").param("o", org)
                .query(Long.class).single()).as("no engine work, nothing recorded").isZero();
    }

    @Test
    void chargesExactlyWhatWasProducedAndRecordsTheUsage() throws Exception {
        String org = admin.prepaidOrganization("exact");
        String key = admin.key(org, "developer", "");
        admin.grant(org, "1.00", "exact-1");

        JsonNode answer = JSON.readTree(chat(server, "/v1/chat/completions", key, ask("stories", 10, false)).body());
        long in = answer.path("usage").path("prompt_tokens").asLong();
        long out = answer.path("usage").path("completion_tokens").asLong();
        long price = in * 100 + out * 200;

        long[] credits = admin.credits(org);
        assertThat(credits[0] + credits[1]).as("balance plus held").isEqualTo(1_000_000 - price);
        Map<String, Object> row = jdbc.sql("SELECT * FROM usage_records WHERE organization_id = :o").param("o", org)
                .query().singleRow();
        assertThat(((Number) row.get("price")).longValue()).isEqualTo(price);
        assertThat(((Number) row.get("cost")).longValue()).isEqualTo(in * 10 + out * 20);
        assertThat(row.get("status")).isEqualTo("completed");
        assertThat(((Number) row.get("input_tokens")).longValue()).isEqualTo(in);
        assertThat(((Number) row.get("output_tokens")).longValue()).isEqualTo(out);
        assertThat(jdbc.sql("SELECT SUM(price) FROM usage_hourly WHERE organization_id = :o").param("o", org)
                .query(Long.class).single()).isEqualTo(price);
        assertThat(server.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
    }

    @Test
    void aStreamedAnswerIsRecordedBeforeItEnds() throws Exception {
        String org = admin.prepaidOrganization("streamer");
        String key = admin.key(org, "developer", "");
        admin.grant(org, "1.00", "streamer-1");

        String body = chat(server, "/v1/chat/completions", key, ask("stories", 12, true)).body();

        assertThat(body).contains("data: [DONE]");
        // read right after the last byte: the record must already be there
        Map<String, Object> row = jdbc.sql("SELECT status, output_tokens, price FROM usage_records "
                + "WHERE organization_id = :o").param("o", org).query().singleRow();
        assertThat(row.get("status")).isEqualTo("completed");
        assertThat(((Number) row.get("output_tokens")).longValue()).isEqualTo(12);
        assertThat(((Number) row.get("price")).longValue()).isPositive();
    }

    @Test
    void aStreamCutShortBillsWhatWasProduced() throws Exception {
        String org = admin.prepaidOrganization("quitter");
        String key = admin.key(org, "developer", "");
        admin.grant(org, "5.00", "quitter-1");
        String endless = "{\"model\":\"stories\",\"max_tokens\":8000,\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Once\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\","
                + "\"schema\":{\"type\":\"string\",\"minLength\":50000}}}}";
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url("/v1/chat/completions")))
                .header("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(endless)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            in.readNBytes(3000);
        }

        Map<String, Object> row = null;
        for (int i = 0; i < 200 && row == null; i++) {
            row = jdbc.sql("SELECT status, output_tokens, price FROM usage_records WHERE organization_id = :o")
                    .param("o", org).query().listOfRows().stream().findFirst().orElse(null);
            if (row == null) {
                Thread.sleep(20);
            }
        }
        assertThat(row).isNotNull();
        assertThat(row.get("status")).isEqualTo("client_closed");
        long out = ((Number) row.get("output_tokens")).longValue();
        assertThat(out).isBetween(1L, 7999L);
        assertThat(((Number) row.get("price")).longValue()).isGreaterThanOrEqualTo(out * 200);
    }

    @Test
    void aFailedCallBillsNothing() throws Exception {
        String org = admin.prepaidOrganization("unlucky");
        String key = admin.key(org, "developer", "");
        admin.grant(org, "1.00", "unlucky-1");

        HttpResponse<String> r = chat(server, "/v1/chat/completions", key, ask("down", 8, false));

        assertThat(r.statusCode()).isEqualTo(502);
        long[] credits = admin.credits(org);
        assertThat(credits[0] + credits[1]).isEqualTo(1_000_000);
        Map<String, Object> row = jdbc.sql("SELECT status, price FROM usage_records WHERE organization_id = :o")
                .param("o", org).query().singleRow();
        assertThat(row.get("status")).isEqualTo("failed");
        assertThat(((Number) row.get("price")).longValue()).isZero();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void concurrentCallsNeverSpendMoreThanTheBalance(String database) throws Exception {
        Databases.Fresh pg = database.equals("postgresql") ? Databases.freshPostgres() : null;
        Map<String, String> s = settings();
        if (pg != null) {
            s.put("tandem.db.url", pg.url());
        }
        try (TandemServer node = TandemServer.start(s)) {
            Admin a = new Admin(node);
            String org = a.prepaidOrganization("crowd");
            String key = a.key(org, "developer", "");
            // each call holds at most (prompt bound ~ 290 tokens) x 100 + 5 x 200 micro-units: about 30,000;
            // 3.00 affords about 100 of them at once
            long granted = a.grant(org, "3.00", "crowd-1");
            ExecutorService pool = Executors.newFixedThreadPool(200);
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(pool.submit(() -> chat(node, "/v1/chat/completions", key, ask("stories", 5, false)).statusCode()));
            }
            int ok = 0;
            int refused = 0;
            for (Future<Integer> f : calls) {
                int status = f.get();
                if (status == 200) {
                    ok++;
                } else if (status == 402) {
                    refused++;
                }
            }
            pool.shutdown();

            assertThat(ok + refused).as("every call either served or refused for credits").isEqualTo(200);
            assertThat(ok).isPositive();
            assertThat(refused).as("the balance cannot afford them all at once").isPositive();
            JdbcClient db = node.context().getBean(JdbcClient.class);
            long charged = db.sql("SELECT COALESCE(SUM(price), 0) FROM usage_records WHERE organization_id = :o")
                    .param("o", org).query(Long.class).single();
            long[] credits = a.credits(org);
            assertThat(credits[0] + credits[1]).as("no overspend").isGreaterThanOrEqualTo(0);
            assertThat(credits[0] + credits[1] + charged).as("every micro-unit accounted for").isEqualTo(granted);
            assertThat(db.sql("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries").query(Long.class).single())
                    .as("entries sum to zero").isZero();
            assertThat(node.context().getBean(LedgerCheck.class).verify().problems()).isEmpty();
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }
}
