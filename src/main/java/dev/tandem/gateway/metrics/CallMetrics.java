package dev.tandem.gateway.metrics;

import dev.tandem.gateway.ActiveStreams;
import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.Inference;
import dev.tandem.inference.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What operators scrape: per model, channel, dialect and outcome, the calls, their tokens, what they were billed
 * and cost, their latency and time to first token (histograms); streams in flight; each channel's breaker state
 * and failure rate; the JVM. Meters are looked up once per label set and then reused.
 */
@Component
public class CallMetrics {

    private static final Duration[] LATENCY_BUCKETS = buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            30, 60, 120, 300);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Labels, Meters> meters = new ConcurrentHashMap<>();

    private record Labels(String model, String channel, String dialect, String status) {
    }

    private record Meters(Counter requests, Timer duration, Timer firstToken, Counter input, Counter cached,
            Counter output, Counter reasoning, Counter billed, Counter cost) {
    }

    private final Inference inference;
    /** Channels whose gauges are registered: the catalog changes at runtime, so they are added at scrape time. */
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private volatile Map<String, ChannelStatus> channels = Map.of();

    public CallMetrics(ActiveStreams active, Inference inference) {
        this.inference = inference;
        Gauge.builder("tandem.streams.in.flight", active, ActiveStreams::inFlight)
                .description("model calls running now").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** One finished model call. Times are nanoseconds; {@code firstTokenNanos} is negative when none came. */
    public void record(String model, @Nullable String channel, String dialect, String status, Usage usage,
            long latencyNanos, long firstTokenNanos, long billedMicros, long costMicros) {
        Meters m = meters.computeIfAbsent(new Labels(model, channel == null ? model : channel, dialect, status),
                this::create);
        m.requests().increment();
        m.duration().record(latencyNanos, TimeUnit.NANOSECONDS);
        if (firstTokenNanos >= 0) {
            m.firstToken().record(firstTokenNanos, TimeUnit.NANOSECONDS);
        }
        m.input().increment(usage.inputTokens());
        m.cached().increment(usage.cachedInputTokens());
        m.output().increment(usage.outputTokens());
        m.reasoning().increment(usage.reasoningTokens());
        m.billed().increment(billedMicros);
        m.cost().increment(costMicros);
    }

    private Meters create(Labels l) {
        String[] tags = {"model", l.model(), "channel", l.channel(), "dialect", l.dialect(), "status", l.status()};
        return new Meters(
                Counter.builder("tandem.requests").description("model calls that reached an engine").tags(tags)
                        .register(registry),
                Timer.builder("tandem.request.duration").description("from request to the end of the answer")
                        .serviceLevelObjectives(LATENCY_BUCKETS).tags(tags).register(registry),
                Timer.builder("tandem.time.to.first.token").description("from request to the first token")
                        .serviceLevelObjectives(LATENCY_BUCKETS).tags(tags).register(registry),
                tokens("input", tags), tokens("cached", tags), tokens("output", tags), tokens("reasoning", tags),
                Counter.builder("tandem.billed.micros").description("what callers were charged, micro-units")
                        .tags(tags).register(registry),
                Counter.builder("tandem.engine.cost.micros").description("what the engines cost, micro-units")
                        .tags(tags).register(registry));
    }

    private Counter tokens(String kind, String[] tags) {
        return Counter.builder("tandem.tokens").description("tokens by kind").tags(tags).tag("kind", kind)
                .register(registry);
    }

    /** The Prometheus text exposition of every meter; channel gauges read one snapshot of the channels taken here. */
    public String scrape() {
        Map<String, ChannelStatus> now = new HashMap<>();
        for (ChannelStatus c : inference.channels()) {
            String key = c.model() + "\u0000" + c.channel();
            now.put(key, c);
            if (watched.add(key)) {
                channelGauge("tandem.channel.state", key, c, "0 serving, 1 probed, 2 left out by its breaker, 3 "
                        + "disabled by an operator", s -> switch (s.state()) {
                            case "closed" -> 0;
                            case "half_open" -> 1;
                            case "open" -> 2;
                            default -> 3;
                        });
                channelGauge("tandem.channel.failure.rate", key, c, "percent of failed calls in the channel's "
                        + "breaker window (-1: too few calls)", ChannelStatus::failureRate);
                channelGauge("tandem.channel.queued", key, c, "calls waiting for the channel's concurrency limit",
                        ChannelStatus::queued);
            }
        }
        channels = now;
        return registry.scrape();
    }

    /** A gauge of one channel, read from the latest snapshot (NaN once the channel is gone). */
    private void channelGauge(String name, String key, ChannelStatus c, String description,
            Function<ChannelStatus, Number> value) {
        Gauge.builder(name, () -> {
            ChannelStatus s = channels.get(key);
            return s == null ? Double.NaN : value.apply(s).doubleValue();
        }).description(description).tags("model", c.model(), "channel", c.channel()).register(registry);
    }

    private static Duration[] buckets(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofNanos((long) (seconds[i] * 1e9));
        }
        return out;
    }
}
