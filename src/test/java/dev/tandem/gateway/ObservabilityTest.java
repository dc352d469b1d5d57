package dev.tandem.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.Inference;
import dev.tandem.support.Calls;
import dev.tandem.support.Closing;
import dev.tandem.support.ChatUpstream;
import dev.tandem.support.TandemServer;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /metrics} in Prometheus' format, the overhead header, channel state and operator disable. */
class ObservabilityTest {

    static final String KEY = TandemServer.ADMIN_KEY;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static ChatUpstream one, two;
    static TandemServer server;
    static HttpServer collector;
    static final List<byte[]> exported = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        one = new ChatUpstream(12, 4);
        two = new ChatUpstream(12, 4);
        Map<String, String> s = new LinkedHashMap<>(one.model(0, "solo"));
        s.putAll(one.model(1, "pair"));
        s.put("tandem.inference.models[1].channel", "first");
        s.putAll(two.model(2, "pair"));
        s.put("tandem.inference.models[2].channel", "second");
        s.putAll(one.model(3, "counted"));
        s.put("tandem.metrics-token", "scrape-me");
        try {
            collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        collector.createContext("/v1/traces", exchange -> {
            try (exchange) {
                if (exchange.getRequestHeaders().getFirst("content-type").contains("protobuf")) {
                    exported.add(exchange.getRequestBody().readAllBytes());
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        collector.start();
        s.put("tandem.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
        server = TandemServer.start(s);
    }

    @AfterAll
    static void stop() {
        Closing.all(server, one, two, collector == null ? null : () -> collector.stop(0));
    }

    static HttpResponse<String> scrape(String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/metrics")));
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void metricsCountCallsTokensAndLatencyByModelChannelAndOutcome() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(Calls.openAi(server, KEY, "counted", 8).status()).isEqualTo(200);
        }
        HttpResponse<InputStream> stream = Calls.openStream(server, KEY, "counted", 8);
        assertThat(Calls.drain(stream)).contains("[DONE]");

        assertThat(scrape(null).statusCode()).isEqualTo(401);
        assertThat(scrape("wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> r = scrape("scrape-me");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        String m = r.body();
        String labels = "channel=\"openai:counted\",dialect=\"openai\",model=\"counted\",status=\"completed\"";
        assertThat(value(m, "tandem_requests_total{" + labels + "}")).isEqualTo(4.0);
        assertThat(value(m, "tandem_tokens_total{channel=\"openai:counted\",dialect=\"openai\",kind=\"output\",model=\"counted\","
                + "status=\"completed\"}")).isEqualTo(16.0);
        assertThat(value(m, "tandem_request_duration_seconds_count{" + labels + "}")).isEqualTo(4.0);
        assertThat(value(m, "tandem_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"}")).isEqualTo(4.0);
        assertThat(value(m, "tandem_time_to_first_token_seconds_count{" + labels + "}")).isEqualTo(4.0);
        assertThat(m).contains("tandem_streams_in_flight 0.0");
        assertThat(m).contains("jvm_memory_used_bytes");
    }

    @Test
    void eachCallIsASpanInTheCallersTraceExportedOverOtlp() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        Calls.Reply r = Calls.postWith(server, "/v1/chat/completions", KEY, Calls.chatBody("solo", 8, false),
                "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
        assertThat(r.status()).isEqualTo(200);
        byte[] id = HexFormat.of().parseHex(traceId);
        long deadline = System.nanoTime() + 10_000_000_000L;
        byte[] span = null;
        while (span == null && System.nanoTime() < deadline) {
            for (byte[] body : exported) {
                if (indexOf(body, id) >= 0) {
                    span = body;
                }
            }
            Thread.sleep(100);
        }
        assertThat(span).as("a span of the caller's trace reached the collector").isNotNull();
        String text = new String(span, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("chat solo", "gen_ai.operation.name", "gen_ai.request.model",
                "gen_ai.usage.output_tokens", "gen_ai.usage.input_tokens", "tandem.channel", "openai:solo",
                r.header("x-request-id"));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void answersTellTandemsOwnShareOfTheTime() throws Exception {
        Calls.Reply plain = Calls.openAi(server, KEY, "solo", 8);
        double overhead = Double.parseDouble(plain.header("x-tandem-overhead-ms"));
        assertThat(overhead).isGreaterThan(0).isLessThan(1000);
        assertThat(plain.header("x-tandem-overhead-ms")).matches("\\d+\\.\\d{3}");
        HttpResponse<InputStream> stream = Calls.openStream(server, KEY, "solo", 8);
        assertThat(stream.headers().firstValue("x-tandem-overhead-ms")).isPresent();
        Calls.drain(stream);
    }

    @Test
    void channelsShowTheirStateAndAnOperatorCanTakeOneOut() throws Exception {
        Inference inference = server.context().getBean(Inference.class);
        assertThat(inference.channels()).filteredOn(c -> c.model().equals("pair")).extracting(ChannelStatus::channel)
                .containsExactly("first", "second");
        assertThat(inference.setChannelEnabled("pair", "first", false)).isTrue();
        assertThat(inference.setChannelEnabled("pair", "nope", false)).isFalse();
        int before = one.calls();
        for (int i = 0; i < 10; i++) {
            assertThat(Calls.openAi(server, KEY, "pair", 8).status()).isEqualTo(200);
        }
        assertThat(one.calls()).isEqualTo(before);
        String m = scrape("scrape-me").body();
        assertThat(value(m, "tandem_channel_state{channel=\"first\",model=\"pair\"}")).isEqualTo(3.0);
        assertThat(value(m, "tandem_channel_state{channel=\"second\",model=\"pair\"}")).isEqualTo(0.0);
        assertThat(value(m, "tandem_requests_total{channel=\"second\",dialect=\"openai\",model=\"pair\","
                + "status=\"completed\"}")).isEqualTo(10.0);

        inference.setChannelEnabled("pair", "first", true);
        for (int i = 0; i < 20; i++) {
            Calls.openAi(server, KEY, "pair", 8);
        }
        assertThat(one.calls()).isGreaterThan(before);
    }
}
