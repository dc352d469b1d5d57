package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Admin;
import dev.tandem.support.Browser;
import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's usage page draws the organization's tokens and spend per day, per model and per key. */
class UsageChartsTest {

    static ChatUpstream upstream;
    static TandemServer server;
    static String org;
    static Browser owner;

    @BeforeAll
    static void start() {
        upstream = new ChatUpstream(100, 20);
        Map<String, String> s = new LinkedHashMap<>(upstream.model(0, "alpha"));
        s.putAll(upstream.model(1, "beta"));
        s.put("tandem.billing.prices[0].model", "alpha");
        s.put("tandem.billing.prices[0].input", "1000");
        s.put("tandem.billing.prices[0].output", "1000");
        server = TandemServer.start(s);
        Admin admin = new Admin(server);
        org = admin.prepaidOrganization("Charts");
        admin.grant(org, "50.00", "charts");
        String plain = admin.key(org, "developer", "\"name\":\"plain key\"");
        String evil = admin.key(org, "developer", "\"name\":\"<b>evil</b>\"");
        for (int i = 0; i < 3; i++) {
            assertThat(Calls.openAi(server, plain, "alpha", 20).status()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(Calls.openAi(server, evil, "beta", 20).status()).isEqualTo(200);
        }
        Browser.person(admin, org, "owner@charts.test", "owner", "owner password");
        owner = new Browser(server);
        owner.signIn("owner@charts.test", "owner password");
    }

    @AfterAll
    static void stop() {
        Closing.all(server, upstream);
    }

    static String row(String html, String name) {
        Matcher m = Pattern.compile("<th scope=\"row\">" + Pattern.quote(name) + "</th>\\s*<td[^>]*>([^<]*)</td>"
                + "\\s*<td[^>]*>([^<]*)</td>\\s*<td[^>]*>([^<]*)</td>\\s*<td[^>]*>([^<]*)</td>").matcher(html);
        return m.find() ? m.group(1) + "|" + m.group(2) + "|" + m.group(3) + "|" + m.group(4) : null;
    }

    @Test
    void perModelTheChartsAndTotalsShowEveryCall() {
        String html = owner.get("/console/orgs/" + org + "/usage").ok().body();
        assertThat(html).contains("Tokens per day", "Spend per day", "<svg", "class=\"series-0\"");
        // 3 calls of 100 + 20 tokens at 1000 per million each way: 0.36; beta is free
        assertThat(row(html, "alpha")).isEqualTo("3|300|60|0.360000");
        assertThat(row(html, "beta")).isEqualTo("2|200|40|0.000000");
        assertThat(html).contains("alpha</span>: <span class=\"number\">360</span>");
    }

    @Test
    void perKeyTheKeysAreNamedAndTheirNamesEscaped() {
        String html = owner.get("/console/orgs/" + org + "/usage?by=key&days=7").ok().body();
        assertThat(html).contains("Totals per API key").doesNotContain("<b>evil</b>");
        assertThat(html).contains("&lt;b&gt;evil&lt;/b&gt;");
        assertThat(html).containsPattern("plain key \\(tdm_[^)]*\\)</th>\\s*<td[^>]*>3</td>");
        assertThat(html).contains("<option value=\"7\" selected=\"selected\">");
    }
}
