package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Databases;
import dev.tandem.support.Prices;
import dev.tandem.support.TandemServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The price catalog lives in the database: seeded from configuration once, managed by the platform admin through
 * {@code /v1/admin/prices}, and a change prices the very next call, on every node within seconds.
 */
class PriceCatalogTest {

    static ChatUpstream upstream;
    static TandemServer server;
    static Admin admin;

    /** Two models on a fake upstream that reports 10 prompt and 5 answer tokens per call. */
    static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "small"));
        s.putAll(upstream.model(1, "vendor/large"));
        Prices.put(s, 0, "small", "1000", "2000", "100");
        s.put("tandem.billing.price-refresh", "200ms");
        return s;
    }

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(10, 5);
        server = TandemServer.start(settings());
        admin = new Admin(server);
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

    /** The price of the organization's most recent call, as recorded. */
    static long lastPrice(TandemServer on, String org) {
        return on.context().getBean(JdbcClient.class)
                .sql("SELECT price FROM usage_records WHERE organization_id = :o ORDER BY created_at DESC LIMIT 1")
                .param("o", org).query(Long.class).single();
    }

    @Test
    void listsTheSeededPricesInDecimalAndMicroUnits() {
        JsonNode list = admin.call("GET", "/v1/admin/prices", null).ok();

        JsonNode small = list.path("data").get(0);
        assertThat(small.path("model").asString()).isEqualTo("small");
        assertThat(small.path("price").path("input").asString()).isEqualTo("1000.000000");
        assertThat(small.path("price").path("cached_input_micros").asLong()).as("cached defaults to input")
                .isEqualTo(1_000_000_000L);
        assertThat(small.path("price").path("output_micros").asLong()).isEqualTo(2_000_000_000L);
        assertThat(small.path("cost").path("input_micros").asLong()).isEqualTo(100_000_000L);
        assertThat(small.path("cost").path("output_micros").asLong()).isZero();
        assertThat(list.path("data").size()).as("only configured prices").isEqualTo(1);
    }

    @Test
    void aPriceChangeAppliesToTheNextCall() {
        String org = admin.prepaidOrganization("repriced");
        String key = admin.key(org, "developer", "");
        admin.grant(org, "10.00", "repriced-1");
        assertThat(Calls.openAi(server, key, "vendor/large", 5).status()).isEqualTo(200);
        assertThat(lastPrice(server, org)).as("no price yet: free").isZero();

        JsonNode put = admin.call("PUT", "/v1/admin/prices/vendor/large",
                "{\"price\":{\"input\":\"3000\",\"output\":\"4000\",\"per_image\":\"0.04\"},"
                        + "\"cost\":{\"input\":\"1\"}}").ok();
        assertThat(put.path("model").asString()).isEqualTo("vendor/large");
        assertThat(put.path("price").path("per_image").asString()).isEqualTo("0.040000");
        assertThat(admin.call("GET", "/v1/admin/prices/vendor/large", null).ok().path("price").path("input_micros")
                .asLong()).isEqualTo(3_000_000_000L);

        assertThat(Calls.openAi(server, key, "vendor/large", 5).status()).isEqualTo(200);
        assertThat(lastPrice(server, org)).isEqualTo(10 * 3000 + 5 * 4000);

        assertThat(admin.call("DELETE", "/v1/admin/prices/vendor/large", null).ok().path("deleted").asBoolean())
                .isTrue();
        assertThat(Calls.openAi(server, key, "vendor/large", 5).status()).isEqualTo(200);
        assertThat(lastPrice(server, org)).as("removed: free again").isZero();
        assertThat(admin.call("GET", "/v1/admin/prices/vendor/large", null).status()).isEqualTo(404);
    }

    @Test
    void organizationMultipliersStillApply() {
        String org = admin.call("POST", "/v1/admin/organizations",
                "{\"name\":\"discounted\",\"billing_mode\":\"prepaid\",\"price_multiplier_bp\":5000}").ok()
                .path("id").asString();
        String key = admin.key(org, "developer", "");
        admin.grant(org, "10.00", "discounted-1");

        assertThat(Calls.openAi(server, key, "small", 5).status()).isEqualTo(200);

        assertThat(lastPrice(server, org)).isEqualTo((10 * 1000 + 5 * 2000) / 2);
    }

    static List<Arguments> badPrices() {
        return List.of(
                Arguments.of("{\"price\":{\"input\":\"-1\"}}", "price.input", "must not be negative"),
                Arguments.of("{\"price\":{\"output\":\"1000000\"}}", "price.output", "at most 10000.000000"),
                Arguments.of("{\"cost\":{\"per_song\":\"abc\"}}", "cost.per_song", "not an amount of money"),
                Arguments.of("{\"price\":{\"input\":\"0.0000001\"}}", "price.input", "at most 6 decimals"),
                Arguments.of("{\"price\":{\"input\":true}}", "price.input", "expected an amount"),
                Arguments.of("{\"price\":{\"inptu\":\"1\"}}", "price.inptu", "unknown unit"),
                Arguments.of("{\"prices\":{}}", "prices", "unknown field"),
                Arguments.of("{\"price\":[]}", "price", "expected an object"),
                Arguments.of("{\"price\":", null, "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPrices")
    void refusesBadPricesWithAClearError(String body, String param, String message) {
        Admin.Reply r = admin.call("PUT", "/v1/admin/prices/small", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("error").path("message").asString()).contains(message);
        if (param != null) {
            assertThat(r.body().path("error").path("param").asString()).isEqualTo(param);
        }
        assertThat(admin.call("GET", "/v1/admin/prices/small", null).ok().path("price").path("input_micros")
                .asLong()).as("unchanged").isEqualTo(1_000_000_000L);
    }

    @Test
    void refusesPricesForModelsOutsideTheCatalogAndCallersOtherThanThePlatformAdmin() {
        Admin.Reply unknown = admin.call("PUT", "/v1/admin/prices/nope", "{\"price\":{\"input\":\"1\"}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("error").path("message").asString()).contains("no model 'nope'");
        assertThat(admin.call("DELETE", "/v1/admin/prices/nope", null).status()).isEqualTo(404);

        String org = admin.prepaidOrganization("not-the-owner");
        Admin orgAdmin = new Admin(server, admin.key(org, "admin", ""));
        assertThat(orgAdmin.call("GET", "/v1/admin/prices", null).status()).isEqualTo(403);
        assertThat(orgAdmin.call("PUT", "/v1/admin/prices/small", "{\"price\":{\"input\":\"0\"}}").status())
                .isEqualTo(403);
    }

    @Test
    void configurationSeedsOnlyModelsTheCatalogDoesNotHave() throws Exception {
        Path data = Files.createTempDirectory("tandem-prices-");
        Map<String, String> s = settings();
        s.put("tandem.data-dir", data.toString());
        try (TandemServer first = TandemServer.start(s)) {
            new Admin(first).call("PUT", "/v1/admin/prices/small", "{\"price\":{\"input\":\"7\"}}").ok();
        }
        s.put("tandem.billing.prices[0].input", "9");
        s.put("tandem.billing.prices[1].model", "vendor/large");
        s.put("tandem.billing.prices[1].output", "5");
        try (TandemServer second = TandemServer.start(s)) {
            Admin a = new Admin(second);
            assertThat(a.call("GET", "/v1/admin/prices/small", null).ok().path("price").path("input").asString())
                    .as("the catalog wins over configuration").isEqualTo("7.000000");
            assertThat(a.call("GET", "/v1/admin/prices/vendor/large", null).ok().path("price").path("output")
                    .asString()).as("a model new to the catalog is seeded").isEqualTo("5.000000");
        }
    }

    @Test
    void aChangeOnOneNodeReachesTheOtherWithinSeconds() throws Exception {
        try (Databases.Fresh db = Databases.freshPostgres()) {
            Map<String, String> s = settings();
            s.put("tandem.db.url", db.url());
            try (TandemServer one = TandemServer.start(s); TandemServer two = TandemServer.start(s)) {
                Admin a = new Admin(one);
                String org = a.prepaidOrganization("two-nodes");
                String key = a.key(org, "developer", "");
                a.grant(org, "10.00", "two-nodes-1");
                assertThat(Calls.openAi(two, key, "small", 5).status()).isEqualTo(200);
                assertThat(lastPrice(two, org)).isEqualTo(10 * 1000 + 5 * 2000);

                a.call("PUT", "/v1/admin/prices/small", "{\"price\":{\"input\":\"1\",\"output\":\"1\"}}").ok();

                long deadline = System.nanoTime() + 5_000_000_000L;
                long price;
                do {
                    assertThat(Calls.openAi(two, key, "small", 5).status()).isEqualTo(200);
                    price = lastPrice(two, org);
                } while (price != 15 && System.nanoTime() < deadline);
                assertThat(price).as("the other node charges the new price").isEqualTo(15);
            }
        }
    }
}
