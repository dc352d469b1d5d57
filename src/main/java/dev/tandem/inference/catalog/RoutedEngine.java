package dev.tandem.inference.catalog;

import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.EngineCapabilities;
import dev.tandem.inference.EngineState;
import dev.tandem.inference.Inference;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.InferenceProperties;
import dev.tandem.inference.Usage;
import dev.tandem.inference.engine.ChatEngine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model served by several channels (backends). Each call goes to a weighted random channel of the lowest
 * priority number that has a healthy one; when the channel fails before its first event (connection error, 429,
 * 5xx, timeout), the call moves on to the next channel — its tier first, then the next tiers — so the client sees
 * nothing of it. A failure after the first event is never retried: the stream ends with the error.
 *
 * <p>Each channel has a Resilience4j circuit breaker (a count-based window of its latest calls): a channel that
 * fails too often is left out for a while, then probed with a few calls and taken back when they succeed. A 429
 * with {@code retry-after} leaves the channel out until then. Overload of a channel's own queue and errors in
 * the request itself do not count against its health.
 */
final class RoutedEngine implements ChatEngine {

    private static final Logger log = LoggerFactory.getLogger(RoutedEngine.class);

    /** One backend of the model. */
    record Channel(String name, int priority, int weight, ChatEngine engine, CircuitBreaker breaker,
            AtomicLong coolUntilNanos) {
    }

    private final String model;
    private final List<Channel> channels;

    RoutedEngine(String model, List<Channel> channels) {
        if (channels.size() < 2) {
            throw new IllegalArgumentException("a routed model needs two channels or more");
        }
        this.model = model;
        this.channels = List.copyOf(channels);
    }

    static CircuitBreaker breaker(String name, InferenceProperties.Routing routing) {
        CircuitBreaker b = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(routing.window())
                .minimumNumberOfCalls(routing.minimumCalls())
                .failureRateThreshold(routing.failureRate())
                .waitDurationInOpenState(routing.openFor())
                .permittedNumberOfCallsInHalfOpenState(routing.probeCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        b.getEventPublisher().onStateTransition(e -> log.warn("channel {}: {}", name, e.getStateTransition()));
        return b;
    }

    List<ChannelStatus> status() {
        List<ChannelStatus> out = new ArrayList<>(channels.size());
        for (Channel c : channels) {
            String state = switch (c.breaker().getState()) {
                case CLOSED -> "closed";
                case OPEN -> "open";
                case HALF_OPEN -> "half_open";
                case FORCED_OPEN, DISABLED, METRICS_ONLY -> "disabled";
            };
            long cooling = Math.max(0, (c.coolUntilNanos().get() - System.nanoTime()) / 1_000_000);
            out.add(new ChannelStatus(model, c.name(), c.priority(), c.weight(), state,
                    c.breaker().getMetrics().getFailureRate(), cooling));
        }
        return out;
    }

    /** An operator takes {@code channel} out ({@code enabled} false) or puts it back; false when there is none. */
    boolean setEnabled(String channel, boolean enabled) {
        for (Channel c : channels) {
            if (c.name().equals(channel)) {
                if (enabled) {
                    c.breaker().transitionToClosedState();
                } else {
                    c.breaker().transitionToForcedOpenState();
                }
                return true;
            }
        }
        return false;
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        InferenceException last = null;
        int skipped = 0;
        for (Channel c : order()) {
            if (c.coolUntilNanos().get() - System.nanoTime() > 0 || !c.breaker().tryAcquirePermission()) {
                skipped++;
                continue;
            }
            long start = System.nanoTime();
            ChatStream stream = null;
            try {
                stream = c.engine().stream(request);
                ChatEvent first = stream.next();
                return new RoutedStream(c, stream, first, start);
            } catch (InferenceException e) {
                if (stream != null) {
                    stream.close();
                }
                if (!countsAgainst(e)) {
                    c.breaker().releasePermission();
                    if (!e.kind().retryable()) {
                        throw e; // the request itself is wrong: another channel would refuse it too
                    }
                } else {
                    c.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                    Duration wait = e.retryAfter();
                    if (e.kind() == InferenceException.Kind.RATE_LIMITED && wait != null) {
                        c.coolUntilNanos().set(System.nanoTime() + wait.toNanos());
                    }
                }
                log.info("model {}: channel {} failed before its first event ({}: {}), trying the next", model,
                        c.name(), e.kind(), e.getMessage());
                last = e;
            } catch (RuntimeException e) {
                if (stream != null) {
                    stream.close();
                }
                c.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                throw e;
            }
        }
        if (last != null) {
            throw last;
        }
        throw new InferenceException(InferenceException.Kind.UPSTREAM_UNAVAILABLE, "Every channel of model " + model
                + " is out of service (" + skipped + " unhealthy or cooling down after a 429); try again shortly.",
                null);
    }

    /** Failures that say something about the channel's health. */
    private static boolean countsAgainst(InferenceException e) {
        return switch (e.kind()) {
            case UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, RATE_LIMITED -> true;
            default -> false;
        };
    }

    /** Channels in the order to try them: by priority, and within one priority a weighted random order. */
    List<Channel> order() {
        List<Channel> sorted = new ArrayList<>(channels);
        sorted.sort(Comparator.comparingInt(Channel::priority));
        List<Channel> out = new ArrayList<>(sorted.size());
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j < sorted.size() && sorted.get(j).priority() == sorted.get(i).priority()) {
                j++;
            }
            List<Channel> tier = new ArrayList<>(sorted.subList(i, j));
            while (!tier.isEmpty()) {
                long total = 0;
                for (Channel c : tier) {
                    total += c.weight();
                }
                long pick = ThreadLocalRandom.current().nextLong(total);
                int k = 0;
                while (pick >= tier.get(k).weight()) {
                    pick -= tier.get(k).weight();
                    k++;
                }
                out.add(tier.remove(k));
            }
            i = j;
        }
        return out;
    }

    /** A channel's stream, its first event already read; reports how the call ended to the channel's breaker. */
    private static final class RoutedStream implements ChatStream {
        private final Channel channel;
        private final ChatStream stream;
        private final long start;
        private final AtomicBoolean reported = new AtomicBoolean();
        private @Nullable ChatEvent first;

        RoutedStream(Channel channel, ChatStream stream, @Nullable ChatEvent first, long start) {
            this.channel = channel;
            this.stream = stream;
            this.first = first;
            this.start = start;
            if (first == null || first instanceof ChatEvent.Done) {
                succeeded();
            }
        }

        @Override
        public @Nullable ChatEvent next() {
            ChatEvent e = first;
            if (e != null) {
                first = null;
                return e;
            }
            try {
                e = stream.next();
            } catch (InferenceException failure) {
                if (countsAgainst(failure) && reported.compareAndSet(false, true)) {
                    channel.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
                }
                throw failure;
            }
            if (e == null || e instanceof ChatEvent.Done) {
                succeeded();
            }
            return e;
        }

        private void succeeded() {
            if (reported.compareAndSet(false, true)) {
                channel.breaker().onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public boolean ready() {
            return first != null || stream.ready();
        }

        @Override
        public String channel() {
            return channel.name();
        }

        @Override
        public Usage usageSoFar() {
            return stream.usageSoFar();
        }

        @Override
        public void close() {
            // a client that went away says nothing of the channel's health
            if (reported.compareAndSet(false, true)) {
                channel.breaker().releasePermission();
            }
            stream.close();
        }
    }

    @Override
    public EngineState state() {
        EngineState firstState = null;
        for (Channel c : channels) {
            EngineState s = c.engine().state();
            if (s instanceof EngineState.Ready) {
                return s;
            }
            if (firstState == null) {
                firstState = s;
            }
        }
        return firstState;
    }

    @Override
    public EngineCapabilities capabilities() {
        return channels.getFirst().engine().capabilities();
    }

    @Override
    public int contextLength() {
        return channels.stream().mapToInt(c -> c.engine().contextLength()).min().orElseThrow();
    }

    @Override
    public int maxOutputTokens() {
        return channels.stream().mapToInt(c -> c.engine().maxOutputTokens()).min().orElseThrow();
    }

    @Override
    public Inference.TokenCount countTokens(ChatRequest request) {
        for (Channel c : order()) {
            if (c.engine().state() instanceof EngineState.Ready) {
                return c.engine().countTokens(request);
            }
        }
        return channels.getFirst().engine().countTokens(request);
    }

    @Override
    public void close() {
        channels.forEach(c -> c.engine().close());
    }
}
