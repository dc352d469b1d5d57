package dev.tandem.gateway;

import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.Inference;
import dev.tandem.inference.Usage;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The spine of every model call, whatever its dialect: open the engine stream, hand events to the dialect's
 * encoder (streamed) or assemble them (whole), and account for the call once it ends, however it ends.
 *
 * <p>A client that disconnects shows up as an I/O error on write: the engine stream is closed at once, which
 * cancels generation and frees its slot, and the call is accounted with what was produced up to then.
 */
@Component
public class ChatPipeline {

    private final Inference inference;
    private final ActiveStreams active;
    private final ApplicationEventPublisher events;

    ChatPipeline(Inference inference, ActiveStreams active, ApplicationEventPublisher events) {
        this.inference = inference;
        this.active = active;
        this.events = events;
    }

    /** Runs {@code request} and streams it with {@code encoder}. */
    public void stream(ApiExchange exchange, ChatRequest request, StreamEncoder encoder) throws IOException {
        ChatStream stream = inference.chat(request);
        ActiveStreams.Call call = active.begin(stream);
        Outcome outcome = new Outcome();
        try {
            exchange.startStream();
            encoder.begin(exchange, stream.usageSoFar());
            exchange.flush();
            ChatEvent event;
            while ((event = stream.next()) != null) {
                outcome.saw(event, exchange);
                encoder.event(exchange, event);
                if (!stream.ready()) {
                    exchange.flush(); // nothing more is waiting: send what we have now
                }
            }
            if (outcome.done == null) {
                throw endedEarly(call);
            }
            encoder.end(exchange);
            exchange.flush();
            outcome.status = "completed";
        } catch (IOException clientGone) {
            outcome.status = "client_closed";
            throw clientGone;
        } catch (RuntimeException e) {
            outcome.status = call.cutByShutdown() ? "shutdown" : "failed";
            throw e;
        } finally {
            stream.close();
            active.done(call);
            publish(exchange, request, true, stream.usageSoFar(), outcome);
        }
    }

    /** Runs {@code request} to its end and returns the whole answer. */
    public ChatResult complete(ApiExchange exchange, ChatRequest request) {
        ChatStream stream = inference.chat(request);
        ActiveStreams.Call call = active.begin(stream);
        Outcome outcome = new Outcome();
        ChatResult result = new ChatResult();
        try {
            ChatEvent event;
            while ((event = stream.next()) != null) {
                outcome.saw(event, exchange);
                result.add(event);
            }
            if (outcome.done == null) {
                throw endedEarly(call);
            }
            outcome.status = "completed";
            return result;
        } catch (RuntimeException e) {
            outcome.status = call.cutByShutdown() ? "shutdown" : "failed";
            throw e;
        } finally {
            stream.close();
            active.done(call);
            publish(exchange, request, false, stream.usageSoFar(), outcome);
        }
    }

    private static ApiError endedEarly(ActiveStreams.Call call) {
        return call.cutByShutdown()
                ? new ApiError(ErrorKind.OVERLOADED, "Tandem is shutting down; the answer was cut short.", null,
                        Duration.ofSeconds(1))
                : new ApiError(ErrorKind.UPSTREAM, "The engine ended the answer without finishing it.", null, null);
    }

    private void publish(ApiExchange exchange, ChatRequest request, boolean streamed, Usage usage, Outcome o) {
        long now = System.nanoTime();
        events.publishEvent(new ChatCompleted(exchange.requestId(), exchange.principal().organizationId(),
                exchange.principal().keyId(), request.model(), exchange.dialect().name(), streamed,
                o.done != null ? o.done.usage() : usage, o.status,
                o.done != null ? o.done.reason().name().toLowerCase(java.util.Locale.ROOT) : null,
                (now - exchange.startedNanos()) / 1_000_000,
                o.firstTokenNanos < 0 ? -1 : (o.firstTokenNanos - exchange.startedNanos()) / 1_000_000));
    }

    /** What the pipeline saw of one call. */
    private static final class Outcome {
        private ChatEvent.@Nullable Done done;
        private long firstTokenNanos = -1;
        private String status = "failed";

        void saw(ChatEvent event, ApiExchange exchange) {
            if (firstTokenNanos < 0 && !(event instanceof ChatEvent.Done)) {
                firstTokenNanos = System.nanoTime();
            }
            if (event instanceof ChatEvent.Done d) {
                done = d;
            }
        }
    }
}
