package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.Prices;
import dev.tandem.support.TandemServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A local model with {@code machine-cost-per-hour} carries its share of the machine-hour as the engine cost of
 * each call, on the real llama.cpp engine, while the price the organization pays is unchanged.
 */
class EngineCostTest {

    @Test
    void aLocalCallRecordsItsShareOfTheMachineHourAsCost() {
        Map<String, String> s = TandemServer.storiesSettings();
        // dear on purpose: the tiny model serves thousands of tokens a second, so its share must still be visible
        s.put("tandem.inference.models[0].machine-cost-per-hour", "3600.00");
        Prices.put(s, 0, "stories", "100", "200", null);
        try (TandemServer server = TandemServer.start(s)) {
            Admin admin = new Admin(server);
            String org = admin.prepaidOrganization("local");
            String key = admin.key(org, "developer", "");
            admin.grant(org, "5.00", "local-1");

            for (int i = 0; i < 3; i++) {
                assertThat(Calls.openAi(server, key, "stories", 16).status()).isEqualTo(200);
            }

            JdbcClient jdbc = server.context().getBean(JdbcClient.class);
            List<Map<String, Object>> rows = jdbc.sql("SELECT input_tokens, output_tokens, price, cost FROM "
                    + "usage_records WHERE organization_id = :o").param("o", org).query().listOfRows();
            assertThat(rows).hasSize(3);
            for (Map<String, Object> r : rows) {
                long in = ((Number) r.get("input_tokens")).longValue();
                long out = ((Number) r.get("output_tokens")).longValue();
                assertThat(((Number) r.get("price")).longValue()).as("the price is per token as listed")
                        .isEqualTo(in * 100 + out * 200);
                assertThat(((Number) r.get("cost")).longValue()).as("the machine's share").isPositive();
            }
            assertThat(jdbc.sql("SELECT SUM(cost) FROM usage_hourly WHERE organization_id = :o").param("o", org)
                    .query(Long.class).single()).isEqualTo(rows.stream()
                            .mapToLong(r -> ((Number) r.get("cost")).longValue()).sum());
        }
    }
}
