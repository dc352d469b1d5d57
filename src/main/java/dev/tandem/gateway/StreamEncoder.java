package dev.tandem.gateway;

import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.Usage;
import java.io.IOException;

/**
 * A dialect's encoding of a streamed answer. One instance per response, used by one thread: {@link #begin} once,
 * {@link #event} per canonical event (the last one is {@link ChatEvent.Done}), {@link #end} once.
 */
public interface StreamEncoder {

    /** Writes what precedes the first event (e.g. Anthropic's {@code message_start}); may write nothing. */
    void begin(ApiExchange exchange, Usage usageAtStart) throws IOException;

    void event(ApiExchange exchange, ChatEvent event) throws IOException;

    /** Writes what follows {@link ChatEvent.Done} (e.g. OpenAI's {@code [DONE]}). */
    void end(ApiExchange exchange) throws IOException;
}
