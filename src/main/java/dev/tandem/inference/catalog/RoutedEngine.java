package dev.tandem.inference.catalog;

import dev.tandem.inference.ChannelStatus;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.Role;
import dev.tandem.inference.Sampling;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.EngineCapabilities;
import dev.tandem.inference.EngineState;
import dev.tandem.inference.Inference;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.InferenceProperties;
import dev.tandem.inference.QueuePriority;
import dev.tandem.inference.Usage;
import dev.tandem.inference.engine.ChatEngine;
import dev.tandem.inference.engine.PriorityPermits;
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
 * One model served by one or more channels (backends). Each call goes to a weighted random channel of the lowest
 * priority number that has a healthy one; when the channel fails before its first event (connection error, 429,
 * 5xx, no first event within its first-token timeout), the call moves on to the next channel — its tier first,
 * then the next tiers — so the client sees nothing of it. A failure after the first event is never retried: the
 * stream ends with the error.
 *
 * <p>Each channel has a Resilience4j circuit breaker (a count-based window of its latest calls): a channel that
 * fails too often is left out for a while, then probed with a few calls and taken back when they succeed. A 429
 * with {@code retry-after} leaves the channel out until then. A channel with a concurrency limit runs that many
 * calls and queues a bounded number more; a call finding every channel full waits in the queue of its first
 * choice, and is refused as overloaded when that queue is full too. Overload and errors in the request itself
 * say nothing of a channel's health.
 */
final class RoutedEngine implements ChatEngine {

    private static final Logger log = LoggerFactory.getLogger(RoutedEngine.class);

    /** A channel's concurrency limit and its queue, served by priority. */
    static final class Gate {
        private final PriorityPermits permits;
        private final Duration queueTimeout;

        Gate(int limit, int maxQueue, Duration queueTimeout) {
            this.permits = new PriorityPermits(limit, maxQueue);
            this.queueTimeout = queueTimeout;
        }

        boolean tryEnter() {
            return permits.tryAcquire();
        }

        /** Waits in the queue at the call's priority; false when the queue is full or no permit came in time. */
        boolean enter(QueuePriority priority) {
            try {
                return permits.acquire(priority, queueTimeout) == PriorityPermits.Outcome.ACQUIRED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void leave() {
            permits.release();
        }

        int running() {
            return permits.inUse();
        }

        int waiting() {
            return permits.waiting();
        }
    }

    /** One backend of the model. */
    record Channel(String name, int priority, int weight, ChatEngine engine, CircuitBreaker breaker,
            AtomicLong coolUntilNanos, @Nullable Gate gate, @Nullable Duration firstTokenTimeout) {

        /** Not cooling down after a 429 and let through by its breaker (which then counts the call). */
        boolean admits() {
            return coolUntilNanos.get() - System.nanoTime() <= 0 && breaker.tryAcquirePermission();
        }
    }

    private final String model;
    private final List<Channel> channels;
    private final @Nullable Duration totalTimeout;

    RoutedEngine(String model, List<Channel> channels, @Nullable Duration totalTimeout) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("model " + model + " needs a channel");
        }
        this.model = model;
        this.channels = List.copyOf(channels);
        this.totalTimeout = totalTimeout;
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

    List<Channel> channels() {
        return channels;
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
                    c.breaker().getMetrics().getFailureRate(), cooling, c.gate() == null ? -1 : c.gate().running(),
                    c.gate() == null ? 0 : c.gate().waiting()));
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

    /**
     * Sends a one-token call to every channel its breaker left out for longer than its wait (the breaker then
     * lets a probe through), and tells the breaker how it went. Called periodically.
     */
    void probe() {
        for (Channel c : channels) {
            if (c.breaker().getState() != CircuitBreaker.State.OPEN || !c.breaker().tryAcquirePermission()) {
                continue; // serving, disabled by an operator, or still resting
            }
            long start = System.nanoTime();
            Watchdog dog = Watchdog.forWait(PROBE_TIMEOUT.toNanos());
            try (ChatStream s = c.engine().stream(PROBE.withModel(model))) {
                dog.watch(s);
                ChatEvent e;
                do {
                    e = s.next();
                } while (e != null && !(e instanceof ChatEvent.Done));
                if (!dog.disarm() || e == null) {
                    throw new InferenceException(InferenceException.Kind.UPSTREAM_TIMEOUT, "probe got no answer");
                }
                c.breaker().onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                log.info("model {}: probe of channel {} succeeded", model, c.name());
            } catch (RuntimeException e) {
                dog.disarm();
                c.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                log.info("model {}: probe of channel {} failed: {}", model, c.name(), e.getMessage());
            }
        }
    }

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final ChatRequest PROBE = ChatRequest.of("probe",
            List.of(ChatMessage.of(Role.USER, "ping")))
            .withSampling(Sampling.DEFAULT.withMaxTokens(1));

    @Override
    public ChatStream stream(ChatRequest request) {
        long deadline = totalTimeout == null ? 0 : System.nanoTime() + totalTimeout.toNanos();
        InferenceException last = null;
        int unavailable = 0;
        List<Channel> full = new ArrayList<>();
        for (Channel c : order()) {
            if (!c.admits()) {
                unavailable++;
                continue;
            }
            if (c.gate() != null && !c.gate().tryEnter()) {
                c.breaker().releasePermission();
                full.add(c);
                continue;
            }
            try {
                return attempt(c, request, deadline);
            } catch (InferenceException e) {
                if (!e.kind().retryable()) {
                    throw e; // the request itself is wrong: another channel would refuse it too
                }
                last = e;
            }
        }
        // every free channel failed, or none was free: wait in the queue of a busy one
        for (Channel c : full) {
            if (!c.admits()) {
                continue;
            }
            if (!c.gate().enter(request.priority())) {
                c.breaker().releasePermission();
                continue;
            }
            try {
                return attempt(c, request, deadline);
            } catch (InferenceException e) {
                if (!e.kind().retryable()) {
                    throw e;
                }
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        if (!full.isEmpty()) {
            throw new InferenceException(InferenceException.Kind.OVERLOADED, "Model " + model + " is at capacity: "
                    + "every channel is busy and its queue is full. Try again shortly.", null, Duration.ofSeconds(1),
                    null);
        }
        throw new InferenceException(InferenceException.Kind.UPSTREAM_UNAVAILABLE, "Every channel of model " + model
                + " is out of service (" + unavailable + " unhealthy, disabled or cooling down after a 429); try "
                + "again shortly.", null);
    }

    /** One try on one channel, its gate entered and its breaker's permission taken. */
    private ChatStream attempt(Channel c, ChatRequest request, long deadline) {
        long start = System.nanoTime();
        long wait = waitFor(c, start, deadline);
        Watchdog dog = Watchdog.forWait(wait);
        ChatStream stream = null;
        try {
            stream = c.engine().stream(request);
            dog.watch(stream);
            ChatEvent first = stream.next();
            if (!dog.disarm()) {
                throw timeout(c, start, deadline);
            }
            return new RoutedStream(c, stream, first, start, deadline);
        } catch (RuntimeException e) {
            boolean fired = !dog.disarm();
            if (stream != null) {
                stream.close();
            }
            if (c.gate() != null) {
                c.gate().leave();
            }
            InferenceException failure = fired ? timeout(c, start, deadline)
                    : e instanceof InferenceException ie ? ie : null;
            if (failure == null) {
                c.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                throw e;
            }
            if (countsAgainst(failure)) {
                c.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
                Duration retryAfter = failure.retryAfter();
                if (failure.kind() == InferenceException.Kind.RATE_LIMITED && retryAfter != null) {
                    c.coolUntilNanos().set(System.nanoTime() + retryAfter.toNanos());
                }
            } else {
                c.breaker().releasePermission();
            }
            if (failure.kind().retryable()) {
                log.info("model {}: channel {} failed before its first event ({}: {}), trying the next", model,
                        c.name(), failure.kind(), failure.getMessage());
            }
            throw failure;
        }
    }

    /** How long this attempt may wait for its first event: its channel's limit, within the call's total. */
    private static long waitFor(Channel c, long now, long deadline) {
        long wait = c.firstTokenTimeout() == null ? 0 : c.firstTokenTimeout().toNanos();
        if (deadline != 0) {
            long left = Math.max(1, deadline - now);
            wait = wait == 0 ? left : Math.min(wait, left);
        }
        return wait;
    }

    private InferenceException timeout(Channel c, long start, long deadline) {
        boolean total = deadline != 0 && System.nanoTime() - deadline >= 0;
        String what = total ? "the call's total timeout of " + totalTimeout.toMillis() + " ms"
                : "its first-token timeout of " + c.firstTokenTimeout().toMillis() + " ms";
        return new InferenceException(InferenceException.Kind.UPSTREAM_TIMEOUT, "Channel " + c.name() + " of model "
                + model + " sent nothing within " + what + ".", null);
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
        if (channels.size() == 1) {
            return channels;
        }
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
            if (Inference.AFFINITY.isBound()) {
                out.addAll(byAffinity(tier, Inference.AFFINITY.get()));
                i = j;
                continue;
            }
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

    /**
     * The tier ordered for one conversation: weighted rendezvous hashing, so a key keeps its channel while that
     * channel is healthy, moves (as little as possible) when channels come and go, and keys spread by weight.
     */
    static List<Channel> byAffinity(List<Channel> tier, String key) {
        List<Channel> out = new ArrayList<>(tier);
        out.sort(Comparator.comparingDouble((Channel c) -> rendezvous(key, c)).reversed());
        return out;
    }

    private static double rendezvous(String key, Channel c) {
        long h = mix(key.hashCode() * 0x9E3779B97F4A7C15L ^ c.name().hashCode());
        double u = ((h >>> 11) + 0.5) / (1L << 53); // uniform in (0, 1)
        return c.weight() / -Math.log(u);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A channel's stream, its first event already read: reports how the call ended to the channel's breaker,
     * gives back its gate permit once, and ends the answer at the call's total timeout.
     */
    private final class RoutedStream implements ChatStream {
        private final Channel channel;
        private final ChatStream stream;
        private final long start;
        private final @Nullable Watchdog deadline;
        private final AtomicBoolean reported = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private @Nullable ChatEvent first;

        RoutedStream(Channel channel, ChatStream stream, @Nullable ChatEvent first, long start, long deadline) {
            this.channel = channel;
            this.stream = stream;
            this.first = first;
            this.start = start;
            this.deadline = deadline == 0 || first == null || first instanceof ChatEvent.Done ? null
                    : Watchdog.forStream(deadline - System.nanoTime(), stream);
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
                throw failed(expired() ? timedOut() : failure);
            }
            if (e == null && expired()) {
                throw failed(timedOut());
            }
            if (e == null || e instanceof ChatEvent.Done) {
                succeeded();
            }
            return e;
        }

        private boolean expired() {
            return deadline != null && deadline.fired();
        }

        private InferenceException timedOut() {
            return new InferenceException(InferenceException.Kind.UPSTREAM_TIMEOUT, "The answer of model " + model
                    + " took longer than its total timeout of " + totalTimeout.toMillis() + " ms and was cut short.",
                    null);
        }

        private InferenceException failed(InferenceException failure) {
            if (countsAgainst(failure) && reported.compareAndSet(false, true)) {
                channel.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
            }
            return failure;
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
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            // a client that went away says nothing of the channel's health
            if (reported.compareAndSet(false, true)) {
                channel.breaker().releasePermission();
            }
            if (deadline != null) {
                deadline.disarm();
            }
            stream.close();
            if (channel.gate() != null) {
                channel.gate().leave();
            }
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
