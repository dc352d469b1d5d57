package dev.tandem.inference;

import org.jspecify.annotations.Nullable;

/**
 * The events of one answer, pulled one at a time by a single consumer thread.
 *
 * <p>{@link #close()} may be called at any time, from any thread, any number of times: it cancels generation and
 * frees the engine's slot at once. A consumer that stops early (a client disconnected) must close the stream.
 * {@link #usageSoFar()} tells what was produced up to now, for billing a stream that ended early.
 */
public interface ChatStream extends AutoCloseable {

    /**
     * Blocks until the next event.
     *
     * @return the next event, or null once {@link ChatEvent.Done} has been returned or the stream was closed
     * @throws InferenceException when the engine fails; the stream is then closed
     */
    @Nullable ChatEvent next();

    /**
     * True when {@link #next()} would return at once, without waiting for the engine. Callers use it to send
     * several events in one network write when they are already there, and each event on its own otherwise.
     */
    default boolean ready() {
        return false;
    }

    /** The channel (backend) answering, when the stream comes through the router; null otherwise. */
    default @Nullable String channel() {
        return null;
    }

    /** Tokens consumed so far; after {@link ChatEvent.Done}, equal to its usage. */
    Usage usageSoFar();

    @Override
    void close();
}
