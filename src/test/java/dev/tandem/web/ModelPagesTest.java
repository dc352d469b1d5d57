package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.billing.PriceList;
import dev.tandem.inference.Inference;
import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's model catalog page: platform admins see every channel's health and switch channels. */
class ModelPagesTest {

    static ChatUpstream upstream;
    static TandemServer server;
    static Admin admin;

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(10, 3);
        Map<String, String> s = new java.util.LinkedHashMap<>(upstream.model(0, "catalogued", "channel", "main"));
        s.putAll(upstream.model(1, "catalogued", "channel", "spare", "priority", "1"));
        server = TandemServer.start(s);
        admin = new Admin(server);
    }

    @AfterAll
    static void stop() {
        Closing.all(server, upstream);
    }

    static String ownerOrganization() {
        for (var o : admin.call("GET", "/v1/admin/organizations", null).ok().path("data")) {
            if (o.path("owner").asBoolean()) {
                return o.path("id").asString();
            }
        }
        throw new AssertionError("no owner organization");
    }

    @Test
    void aPlatformAdminSeesTheChannelsAndTakesOneOutOfService() {
        Browser.person(admin, ownerOrganization(), "ops@platform.test", "admin", "ops password 1");
        Browser ops = new Browser(server);
        ops.signIn("ops@platform.test", "ops password 1");
        String page = ops.get("/console/models").ok().body();
        assertThat(page).contains("catalogued", "main", "spare", "Take out of service");

        String after = ops.post("/console/models/switch", Map.of("model", "catalogued", "channel", "main",
                "enable", "false")).ok().body();
        assertThat(after).contains("out of service on every node").contains("Put back in service");
        Inference inference = server.context().getBean(Inference.class);
        assertThat(inference.channels()).filteredOn(c -> c.channel().equals("main"))
                .allSatisfy(c -> assertThat(c.state()).isEqualTo("disabled"));

        ops.post("/console/models/switch", Map.of("model", "catalogued", "channel", "main", "enable", "true")).ok();
        assertThat(inference.channels()).filteredOn(c -> c.channel().equals("main"))
                .allSatisfy(c -> assertThat(c.state()).isEqualTo("closed"));
        // without the CSRF token nothing changes
        assertThat(ops.postRaw("/console/models/switch", Map.of("model", "catalogued", "channel", "main",
                "enable", "false"), Map.of("origin", server.url(""))).status()).isEqualTo(403);
    }

    @Test
    void aPlatformAdminSetsAModelsPricesAndCostsOnThePricesPage() {
        Browser.person(admin, ownerOrganization(), "pricing@platform.test", "owner", "pricing password");
        Browser ops = new Browser(server);
        ops.signIn("pricing@platform.test", "pricing password");
        assertThat(ops.get("/console/prices").ok().body()).contains("catalogued", "free");

        String saved = ops.post("/console/prices", Map.of("model", "catalogued", "input", "1.50", "output", "2.00",
                "costInput", "0.25", "costOutput", "0.50")).ok().body();
        assertThat(saved).contains("Prices of catalogued saved").contains("output margin 1.500000");
        PriceList prices = server.context().getBean(PriceList.class);
        assertThat(prices.find("catalogued").orElseThrow().price().input()).isEqualTo(1_500_000);
        assertThat(prices.find("catalogued").orElseThrow().price().cachedInput()).isEqualTo(1_500_000);
        assertThat(prices.find("catalogued").orElseThrow().cost().output()).isEqualTo(500_000);

        Browser.Reply bad = ops.post("/console/prices", Map.of("model", "catalogued", "input", "lots"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("input: an amount");
        assertThat(prices.find("catalogued").orElseThrow().price().input()).isEqualTo(1_500_000);
    }

    @Test
    void otherPeopleMayNotOpenIt() {
        String org = admin.prepaidOrganization("customers");
        Browser.person(admin, org, "owner@customer.test", "owner", "customer password");
        Browser customer = new Browser(server);
        customer.signIn("owner@customer.test", "customer password");
        assertThat(customer.get("/console/models").status()).isEqualTo(403);
        assertThat(customer.get("/console/prices").status()).isEqualTo(403);
        assertThat(customer.get("/console").ok().body()).doesNotContain("href=\"/console/models\"");
    }
}
