package dev.tandem.inference.catalog;

import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.EngineCapabilities;
import dev.tandem.inference.EngineState;
import dev.tandem.inference.FinishReason;
import dev.tandem.inference.Inference;
import dev.tandem.inference.InferenceProperties;
import dev.tandem.inference.Role;
import dev.tandem.inference.Usage;
import dev.tandem.inference.engine.ChatEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the routing decision costs per call: an engine's stream opened and read to its end directly, against
 * the same through the router with one channel (breaker, first event read ahead, stream wrapper), with three
 * channels in two priorities (weighted order, breaker checks), and with a concurrency gate and both timeouts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBench {

    private static final ChatRequest REQUEST = ChatRequest.of("m", List.of(ChatMessage.of(Role.USER, "hi")));
    private static final InferenceProperties.Routing ROUTING = new InferenceProperties.Routing(50, 20, 10,
            Duration.ofSeconds(30), 2, Duration.ofSeconds(10));

    private final ChatEngine engine = new InstantEngine();
    private final RoutedEngine one = new RoutedEngine("m", List.of(channel("a", 0, 1, null, null)), null);
    private final RoutedEngine three = new RoutedEngine("m", List.of(channel("a", 0, 3, null, null),
            channel("b", 0, 1, null, null), channel("c", 1, 1, null, null)), null);
    private final RoutedEngine guarded = new RoutedEngine("m", List.of(channel("a", 0, 1,
            new RoutedEngine.Gate(1024, 1024, Duration.ofSeconds(1)), Duration.ofSeconds(30))),
            Duration.ofMinutes(5));

    private RoutedEngine.Channel channel(String name, int priority, int weight, RoutedEngine.@Nullable Gate gate,
            @Nullable Duration firstToken) {
        return new RoutedEngine.Channel(name, priority, weight, engine, RoutedEngine.breaker(name, ROUTING),
                new AtomicLong(), gate, firstToken);
    }

    private static int drain(ChatEngine e) {
        int n = 0;
        try (ChatStream s = e.stream(REQUEST)) {
            while (s.next() != null) {
                n++;
            }
        }
        return n;
    }

    @Benchmark
    public int direct() {
        return drain(engine);
    }

    @Benchmark
    public int routedOneChannel() {
        return drain(one);
    }

    @Benchmark
    public int routedThreeChannels() {
        return drain(three);
    }

    @Benchmark
    public int routedWithGateAndTimeouts() {
        return drain(guarded);
    }

    /** An engine whose answer is there at once: two text deltas and the end. */
    static final class InstantEngine implements ChatEngine {
        private static final Usage USAGE = new Usage(5, 0, 2, 0);
        private static final ChatEvent[] EVENTS = {new ChatEvent.TextDelta("o"), new ChatEvent.TextDelta("k"),
            new ChatEvent.Done(FinishReason.STOP, USAGE, null)};

        @Override
        public ChatStream stream(ChatRequest request) {
            return new ChatStream() {
                private int i;

                @Override
                public @Nullable ChatEvent next() {
                    return i < EVENTS.length ? EVENTS[i++] : null;
                }

                @Override
                public Usage usageSoFar() {
                    return USAGE;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public EngineState state() {
            return EngineState.READY;
        }

        @Override
        public EngineCapabilities capabilities() {
            return new EngineCapabilities(false, false, false, false);
        }

        @Override
        public int contextLength() {
            return 4096;
        }

        @Override
        public int maxOutputTokens() {
            return 1024;
        }

        @Override
        public Inference.TokenCount countTokens(ChatRequest request) {
            return new Inference.TokenCount(5, false);
        }

        @Override
        public void close() {
        }
    }
}
