package dev.tandem.gateway;

import dev.tandem.inference.ChatStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The model calls in flight, for graceful shutdown. On stop, new calls are refused as overloaded (and
 * {@code /readyz} turns 503 so load balancers move on); calls in flight may finish within the grace period; those
 * still running then are ended cleanly with an error event in their dialect.
 *
 * <p>Stops before the web server's own graceful shutdown, so that one finds nothing left to wait for.
 */
@Component
public class ActiveStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ActiveStreams.class);

    /** One call in flight. */
    public static final class Call {
        private final ChatStream stream;
        private volatile boolean cutByShutdown;

        private Call(ChatStream stream) {
            this.stream = stream;
        }

        /** True when shutdown ended this call before its engine finished. */
        public boolean cutByShutdown() {
            return cutByShutdown;
        }

        private void cut() {
            cutByShutdown = true;
            stream.close();
        }
    }

    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final Duration grace;
    private volatile boolean draining;
    private volatile boolean running;

    ActiveStreams(GatewayProperties properties) {
        this.grace = properties.shutdownGrace();
    }

    /**
     * Registers a call; the caller must {@link #done(Call)} it.
     *
     * @throws ApiError OVERLOADED once shutdown began
     */
    public Call begin(ChatStream stream) {
        if (draining) {
            stream.close();
            throw new ApiError(ErrorKind.OVERLOADED, "Tandem is shutting down; retry on another node.", null,
                    Duration.ofSeconds(1));
        }
        Call call = new Call(stream);
        calls.add(call);
        return call;
    }

    public void done(Call call) {
        calls.remove(call);
    }

    public boolean draining() {
        return draining;
    }

    public int inFlight() {
        return calls.size();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        if (!calls.isEmpty()) {
            log.info("shutting down: waiting up to {} s for {} model calls in flight", grace.toSeconds(), calls.size());
        }
        while (!calls.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!calls.isEmpty()) {
            log.warn("shutting down: ending {} model calls still in flight after {} s", calls.size(), grace.toSeconds());
            calls.forEach(Call::cut);
            long cutDeadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (!calls.isEmpty() && System.nanoTime() < cutDeadline) {
                try {
                    Thread.sleep(5); // the cut streams are writing their error events
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful shutdown phase (higher phases stop first). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 512;
    }
}
