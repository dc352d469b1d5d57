package dev.tandem.gateway.http;

import dev.tandem.gateway.ActiveStreamsForBench;
import dev.tandem.gateway.metrics.CallMetrics;
import dev.tandem.gateway.metrics.CallTraces;
import dev.tandem.gateway.openai.OpenAiDialect;
import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.KeyRole;
import dev.tandem.identity.KeySpec;
import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.Inference;
import dev.tandem.inference.ModelInfo;
import dev.tandem.inference.Role;
import dev.tandem.inference.Usage;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * What observability costs per model call, against the same call without it: recording a finished call's
 * metrics (counters, two histograms), and its trace span started and ended with tracing off and on (the real
 * OpenTelemetry SDK, batch processor, OTLP exporter; the collector address answers nothing, so spans are
 * queued and dropped as a slow collector would cause).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObservabilityBench {

    private static final ChatRequest REQUEST = ChatRequest.of("m", List.of(ChatMessage.of(Role.USER, "hi")));
    private static final Usage USAGE = new Usage(120, 0, 48, 0);

    private final CallMetrics metrics = new CallMetrics(ActiveStreamsForBench.create(), new NoModels());
    private final CallTraces off = new CallTraces("", "");
    private final CallTraces on = new CallTraces("http://127.0.0.1:9", "");
    private final ApiExchange exchange = exchange();

    private static ApiExchange exchange() {
        ApiExchange ex = new ApiExchange(new MockHttpServletRequest(), new MockHttpServletResponse(),
                new OpenAiDialect(new JsonWriter(JsonMapper.builder().build())), "req_bench", 1 << 20);
        ex.authenticated(new ApiKeyPrincipal("key_1", "org_1", "bench", "tdm_x", KeyRole.DEVELOPER, false,
                new KeySpec("bench", KeyRole.DEVELOPER, null, List.of(), null, null, null, null, null, List.of()),
                List.of(), false, false));
        return ex;
    }

    @TearDown
    public void close() {
        on.destroy();
    }

    @Benchmark
    public int without() {
        return USAGE.outputTokens(); // the call's own bookkeeping, nothing recorded
    }

    @Benchmark
    public int metrics() {
        metrics.record("m", "openai:m", "openai", "completed", USAGE, 12_000_000, 3_000_000, 420, 120);
        return USAGE.outputTokens();
    }

    @Benchmark
    public int tracingOff() {
        Span s = off.start(exchange, REQUEST, "openai", false);
        off.end(s, "m", "openai:m", USAGE, "completed", "stop");
        return USAGE.outputTokens();
    }

    @Benchmark
    public int tracingOn() {
        Span s = on.start(exchange, REQUEST, "openai", false);
        on.end(s, "m", "openai:m", USAGE, "completed", "stop");
        return USAGE.outputTokens();
    }

    /** A catalog with no models: the metrics' channel gauges have nothing to watch. */
    static final class NoModels implements Inference {
        @Override
        public List<ModelInfo> models() {
            return List.of();
        }

        @Override
        public Optional<ModelInfo> model(String id) {
            return Optional.empty();
        }

        @Override
        public ChatStream chat(ChatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TokenCount countTokens(ChatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ChannelStatus> channels() {
            return List.of();
        }

        @Override
        public boolean setChannelEnabled(String model, String channel, boolean enabled) {
            return false;
        }

        @Override
        public void putModel(String id, List<dev.tandem.inference.ModelSettings> channels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean deleteModel(String id) {
            return false;
        }

        @Override
        public List<dev.tandem.inference.ModelSettings> modelSettings(String id) {
            return List.of();
        }

        @Override
        public boolean ready() {
            return true;
        }
    }
}
