package dev.tandem.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Calls;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits on one node: requests and tokens per minute of a key, of an organization and of a model tier, a
 * cap on a key's open streams, daily spend limits that survive a restart; each refusal a 429 (or 403 for spend)
 * in the caller's dialect with the standard headers.
 */
class RateLimitTest {

    static ChatUpstream upstream;
    static TandemServer server;
    static Admin admin;

    static Map<String, String> settings() {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.putAll(upstream.model(0, "small"));
        s.putAll(upstream.model(1, "big"));
        s.putAll(upstream.model(2, "priced"));
        s.put("tandem.billing.limits.tiers[0].name", "large");
        s.put("tandem.billing.limits.tiers[0].models[0]", "big");
        s.put("tandem.billing.limits.tiers[0].rpm", "2");
        s.put("tandem.billing.limits.tiers[0].tpm", "0");
        // a call of "priced" costs $0.015 (10 prompt and 5 answer tokens at $1,000 a million) and holds more first
        s.put("tandem.billing.prices[0].model", "priced");
        s.put("tandem.billing.prices[0].input", "1000");
        s.put("tandem.billing.prices[0].output", "1000");
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

    @Test
    void refusesTheRequestAfterAKeysRequestsPerMinuteWithStandardHeaders() {
        String org = admin.prepaidOrganization("rpm");
        String key = admin.key(org, "developer", "\"rpm\":3");
        Calls.awaitMinuteWithAtLeast(Duration.ofSeconds(15));
        for (int i = 2; i >= 0; i--) {
            Calls.Reply ok = Calls.openAi(server, key, "small", 5);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("x-ratelimit-limit-requests")).isEqualTo("3");
            assertThat(ok.header("x-ratelimit-remaining-requests")).isEqualTo(Integer.toString(i));
            assertThat(ok.header("x-ratelimit-reset-requests")).matches("\\d+(\\.\\d)?m?s");
        }
        Calls.Reply refused = Calls.openAi(server, key, "small", 5);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().path("error").path("type").asString()).isEqualTo("rate_limit_error");
        assertThat(refused.body().path("error").path("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(refused.body().path("error").path("message").asString())
                .contains("requests per minute on this API key").contains("limit 3");
        assertThat(Integer.parseInt(refused.header("retry-after"))).isBetween(1, 60);
        assertThat(refused.header("x-ratelimit-remaining-requests")).isEqualTo("0");
    }

    @Test
    void refusesInEachDialectsOwnShape() {
        String org = admin.prepaidOrganization("dialects");
        String key = admin.key(org, "developer", "\"rpm\":1");
        Calls.awaitMinuteWithAtLeast(Duration.ofSeconds(15));
        assertThat(Calls.anthropic(server, key, "small", 5).status()).isEqualTo(200);

        Calls.Reply anthropic = Calls.anthropic(server, key, "small", 5);
        assertThat(anthropic.status()).isEqualTo(429);
        assertThat(anthropic.body().path("error").path("type").asString()).isEqualTo("rate_limit_error");
        assertThat(anthropic.header("anthropic-ratelimit-requests-limit")).isEqualTo("1");
        assertThat(anthropic.header("anthropic-ratelimit-requests-remaining")).isEqualTo("0");
        assertThat(anthropic.header("anthropic-ratelimit-requests-reset")).endsWith("Z");

        Calls.Reply miniMax = Calls.miniMax(server, key, "small", 5);
        assertThat(miniMax.body().path("base_resp").path("status_code").asInt()).isEqualTo(1002);
    }

    @Test
    void countsTokensAsAnEstimateThenAsUsed() {
        String org = admin.prepaidOrganization("tpm");
        String key = admin.key(org, "developer", "\"tpm\":1000");
        Calls.awaitMinuteWithAtLeast(Duration.ofSeconds(20));

        Calls.Reply tooBig = Calls.openAi(server, key, "small", 5000);
        assertThat(tooBig.status()).isEqualTo(429);
        assertThat(tooBig.body().path("error").path("type").asString()).isEqualTo("tokens");
        assertThat(tooBig.body().path("error").path("message").asString()).contains("lower max_tokens");
        assertThat(tooBig.header("retry-after")).isNull(); // waiting would not help

        // each call reserves its estimate (about 100 tokens) but uses 15: corrections let ~60 in, not 10
        int admitted = 0;
        Calls.Reply last;
        while ((last = Calls.openAi(server, key, "small", 5)).status() == 200) {
            admitted++;
            assertThat(admitted).isLessThan(100);
        }
        assertThat(admitted).isGreaterThan(45);
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.body().path("error").path("message").asString()).contains("tokens per minute");
        assertThat(Long.parseLong(last.header("x-ratelimit-remaining-tokens"))).isLessThan(200);
        assertThat(Calls.miniMax(server, key, "small", 5).body().path("base_resp").path("status_code").asInt())
                .isEqualTo(1039);
    }

    @Test
    void capsAKeysOpenStreams() throws Exception {
        String org = admin.prepaidOrganization("streams");
        String key = admin.key(org, "developer", "\"max_concurrent_streams\":2");
        upstream.hold();
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            open.add(Calls.openStream(server, key, "small", 5));
            open.add(Calls.openStream(server, key, "small", 5));
            HttpResponse<InputStream> third = Calls.openStream(server, key, "small", 5);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(Calls.drain(third)).contains("concurrency_limit_exceeded").contains("2 streams open");
            assertThat(Calls.openAi(server, key, "small", 5).status()).isEqualTo(200); // not a stream
        } finally {
            upstream.release();
        }
        for (HttpResponse<InputStream> s : open) {
            assertThat(Calls.drain(s)).contains("[DONE]");
        }
        HttpResponse<InputStream> after = Calls.openStream(server, key, "small", 5);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(Calls.drain(after)).contains("[DONE]");
    }

    @Test
    void sharesAnOrganizationsLimitAcrossItsKeysAndOnlyThePlatformSetsIt() {
        String org = admin.prepaidOrganization("org-rpm");
        String orgAdmin = admin.key(org, "admin", "");
        Admin.Reply own = new Admin(server, orgAdmin).call("PATCH", "/v1/admin/organizations/me", "{\"rpm\":1000}");
        assertThat(own.status()).isEqualTo(403);
        Admin.Reply set = admin.call("PATCH", "/v1/admin/organizations/" + org, "{\"rpm\":2}");
        assertThat(set.ok().path("rate_limits").path("rpm").asInt()).isEqualTo(2);
        assertThat(admin.call("PATCH", "/v1/admin/organizations/" + org, "{\"rpm\":0}").status()).isEqualTo(400);

        String a = admin.key(org, "developer", "");
        String b = admin.key(org, "developer", "");
        Calls.awaitMinuteWithAtLeast(Duration.ofSeconds(15));
        assertThat(Calls.openAi(server, a, "small", 5).status()).isEqualTo(200);
        assertThat(Calls.openAi(server, b, "small", 5).status()).isEqualTo(200);
        Calls.Reply refused = Calls.openAi(server, a, "small", 5);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().path("error").path("message").asString()).contains("your organization");
    }

    @Test
    void limitsAModelTierPerOrganization() {
        String org = admin.prepaidOrganization("tier");
        String key = admin.key(org, "developer", "");
        Calls.awaitMinuteWithAtLeast(Duration.ofSeconds(15));
        assertThat(Calls.openAi(server, key, "big", 5).status()).isEqualTo(200);
        assertThat(Calls.openAi(server, key, "big", 5).status()).isEqualTo(200);
        Calls.Reply refused = Calls.openAi(server, key, "big", 5);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().path("error").path("message").asString()).contains("large models");
        assertThat(Calls.openAi(server, key, "small", 5).status()).isEqualTo(200);

        String other = admin.key(admin.prepaidOrganization("tier-2"), "developer", "");
        assertThat(Calls.openAi(server, other, "big", 5).status()).isEqualTo(200); // another organization's own count
    }

    @Test
    void aCallRefusedForCreditsGivesBackItsPlaceInTheLimits() {
        String org = admin.prepaidOrganization("poor");
        String key = admin.key(org, "developer", "\"rpm\":2");
        Calls.awaitMinuteWithAtLeast(Duration.ofSeconds(15));
        assertThat(Calls.openAi(server, key, "priced", 5).status()).isEqualTo(402);
        assertThat(Calls.openAi(server, key, "priced", 5).status()).isEqualTo(402);
        assertThat(Calls.openAi(server, key, "priced", 5).status()).isEqualTo(402);
        admin.grant(org, "10.00", "poor-1");
        assertThat(Calls.openAi(server, key, "priced", 5).status()).isEqualTo(200);
        assertThat(Calls.openAi(server, key, "priced", 5).status()).isEqualTo(200);
        assertThat(Calls.openAi(server, key, "priced", 5).status()).isEqualTo(429);
    }

    @Test
    void stopsAKeyAtItsDailySpendLimitEvenAfterARestart() {
        String org = admin.prepaidOrganization("spend");
        admin.grant(org, "100.00", "spend-1");
        String key = admin.key(org, "developer", "\"spend_limit_daily\":\"0.40\"");
        int admitted = 0;
        Calls.Reply last;
        while ((last = Calls.openAi(server, key, "priced", 5)).status() == 200) {
            admitted++;
            assertThat(admitted).isLessThan(30);
        }
        // each call holds up to ~$0.3 first, then costs $0.015: calls go in while spent + hold fits in $0.40
        assertThat(admitted).isBetween(3, 12);
        assertThat(last.status()).isEqualTo(403);
        assertThat(last.body().path("error").path("type").asString()).isEqualTo("permission_error");
        assertThat(last.body().path("error").path("message").asString()).contains("daily spend limit of $0.40");
        assertThat(Calls.openAi(server, admin.key(org, "developer", ""), "priced", 5).status()).isEqualTo(200);

        restart();
        Calls.Reply afterRestart = Calls.openAi(server, key, "priced", 5);
        assertThat(afterRestart.status()).isEqualTo(403); // counted from the recorded spend, not from zero
    }

    /** Stops the server and starts a new one on its data. */
    static void restart() {
        server.close();
        Map<String, String> s = settings();
        s.put("tandem.data-dir", server.dataDir().toString());
        server = TandemServer.start(s);
        admin = new Admin(server);
    }
}
