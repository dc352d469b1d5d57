package dev.tandem.gateway;

import dev.tandem.billing.Admission;
import dev.tandem.billing.Billing;
import dev.tandem.billing.CallRequest;
import dev.tandem.billing.KeyLimits;
import dev.tandem.billing.Metered;
import dev.tandem.billing.Money;
import dev.tandem.billing.Rates;
import dev.tandem.billing.Settlement;
import dev.tandem.gateway.metrics.CallMetrics;
import dev.tandem.gateway.metrics.CallTraces;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.identity.KeySpec;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.Inference;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.ModelInfo;
import dev.tandem.inference.ModelSettings;
import dev.tandem.inference.Part;
import dev.tandem.inference.QueuePriority;
import dev.tandem.inference.ToolDefinition;
import dev.tandem.inference.Usage;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The spine of every model call, whatever its dialect: admit it (credits held for its most expensive outcome),
 * open the engine stream, hand events to the dialect's encoder (streamed) or assemble them (whole), and settle
 * it however it ends. A completed answer is settled, durably, before its last bytes go out; a call that fails
 * is recorded and bills nothing; a stream cut short bills what was produced.
 *
 * <p>A client that disconnects shows up as an I/O error on write: the engine stream is closed at once, which
 * cancels generation and frees its slot.
 */
@Component
public class ChatPipeline {

    private static final Logger log = LoggerFactory.getLogger(ChatPipeline.class);

    private final Inference inference;
    private final Billing billing;
    private final ActiveStreams active;
    private final ApplicationEventPublisher events;

    private final CallMetrics metrics;
    /** Channels' own rates, parsed once (a changed channel brings a new cost record). */
    private final Map<ModelSettings.Cost, Rates> costRates = new ConcurrentHashMap<>();
    private final CallTraces traces;

    ChatPipeline(Inference inference, Billing billing, ActiveStreams active, ApplicationEventPublisher events,
            CallMetrics metrics, CallTraces traces) {
        this.metrics = metrics;
        this.traces = traces;
        this.inference = inference;
        this.billing = billing;
        this.active = active;
        this.events = events;
    }

    /** Runs {@code request} and streams it with {@code encoder}. */
    public void stream(ApiExchange exchange, ChatRequest request, StreamEncoder encoder) throws IOException {
        Call call = open(exchange, request, true);
        try {
            // a stream's headers go out before its answer: Tandem's own time up to the engine call
            exchange.overhead(call.engineStartNanos - exchange.startedNanos());
            exchange.startStream();
            encoder.begin(exchange, call.stream.usageSoFar());
            exchange.flush();
            ChatEvent event;
            while ((event = call.stream.next()) != null) {
                call.saw(event);
                if (event instanceof ChatEvent.Done done) {
                    call.settle("completed", done.usage()); // durable before the end of the answer goes out
                }
                encoder.event(exchange, event);
                if (!call.stream.ready()) {
                    exchange.flush(); // nothing more is waiting: send what we have now
                }
            }
            if (call.done == null) {
                throw endedEarly(call.activeCall);
            }
            encoder.end(exchange);
            exchange.flush();
        } catch (IOException clientGone) {
            call.status = "client_closed";
            throw clientGone;
        } catch (RuntimeException e) {
            call.status = call.activeCall.cutByShutdown() ? "shutdown" : "failed";
            throw e;
        } finally {
            call.finish();
        }
    }

    /** Runs {@code request} to its end and returns the whole answer, settled. */
    public ChatResult complete(ApiExchange exchange, ChatRequest request) {
        Call call = open(exchange, request, false);
        ChatResult result = new ChatResult();
        try {
            ChatEvent event;
            while ((event = call.stream.next()) != null) {
                call.saw(event);
                result.add(event);
            }
            if (call.done == null) {
                throw endedEarly(call.activeCall);
            }
            call.engineDoneNanos = System.nanoTime();
            call.settle("completed", call.done.usage());
            exchange.overhead(System.nanoTime() - exchange.startedNanos()
                    - (call.engineDoneNanos - call.engineStartNanos));
            return result;
        } catch (RuntimeException e) {
            call.status = call.activeCall.cutByShutdown() ? "shutdown" : "failed";
            throw e;
        } finally {
            call.finish();
        }
    }

    /**
     * The priority the call waits at where its model is busy: what it asked for, except that only an origin that
     * {@linkplain CallOrigin#mayGoFirst() may go first} gets {@link QueuePriority#HIGH} (others wait as
     * {@code NORMAL}; anyone may ask for {@code LOW}). Dialects report it back ({@code service_tier}).
     */
    public static QueuePriority queuePriority(CallOrigin origin, ChatRequest request) {
        return request.priority() == QueuePriority.HIGH && !origin.mayGoFirst() ? QueuePriority.NORMAL
                : request.priority();
    }

    /**
     * Runs {@code request} for a caller inside Tandem (the companion app): the same admission, routing and
     * metering as an API call, the answer handed over as canonical events. The call is settled when
     * {@link ChatEvent.Done} is returned, or when the stream is closed before that (billing what was produced).
     * The caller must close the stream.
     *
     * @throws ApiError or {@link InferenceException} when the call cannot start (refused, no such model, every
     *                  channel down); it is then recorded as failed
     */
    public ChatStream open(CallOrigin origin, ChatRequest request) {
        Call call = open(origin, request, request.stream());
        return new InternalStream(call);
    }

    /** The events of an in-process call, settled as they end. */
    private final class InternalStream implements ChatStream {
        private final Call call;
        private boolean over;

        InternalStream(Call call) {
            this.call = call;
        }

        @Override
        public @Nullable ChatEvent next() {
            if (over) {
                return null;
            }
            try {
                ChatEvent event = call.stream.next();
                if (event == null) {
                    over = true;
                    if (call.done == null) {
                        call.status = call.activeCall.cutByShutdown() ? "shutdown" : "failed";
                        call.finish();
                        throw endedEarly(call.activeCall);
                    }
                    call.finish();
                    return null;
                }
                call.saw(event);
                if (event instanceof ChatEvent.Done done) {
                    call.settle("completed", done.usage());
                }
                return event;
            } catch (RuntimeException e) {
                if (!over) {
                    over = true;
                    call.status = call.activeCall.cutByShutdown() ? "shutdown" : "failed";
                    call.finish();
                }
                throw e;
            }
        }

        @Override
        public boolean ready() {
            return !over && call.stream.ready();
        }

        @Override
        public @Nullable String channel() {
            return call.stream.channel();
        }

        @Override
        public Usage usageSoFar() {
            return call.stream.usageSoFar();
        }

        @Override
        public void close() {
            if (!over) {
                over = true;
                if (call.done == null) {
                    call.status = "client_closed";
                }
                call.finish();
            }
        }
    }

    /**
     * Admits the call and opens its engine stream; a call that cannot start is recorded as failed. When every
     * channel of the model is out of service and the caller allows it ({@code x-tandem-allow-fallbacks}, by
     * default its organization's setting), its fallback models are tried in turn,
     * each as a call of its own (admitted and billed at its own price).
     */
    private Call open(CallOrigin exchange, ChatRequest asked, boolean streamed) {
        ChatRequest request = asked.withPriority(queuePriority(exchange, asked));
        ModelInfo model = inference.model(request.model()).orElseThrow(() -> new InferenceException(
                InferenceException.Kind.MODEL_NOT_FOUND,
                "The model `" + request.model() + "` does not exist or you do not have access to it.", "model"));
        if (!exchange.principal().mayUse(request.model()) && !exchange.principal().mayUse(model.id())) {
            List<String> keyModels = exchange.principal().spec().models();
            boolean byKey = !keyModels.isEmpty() && !keyModels.contains(request.model())
                    && !keyModels.contains(model.id());
            throw new ApiError(ErrorKind.PERMISSION, byKey
                    ? "This API key may not use the model `" + request.model() + "`; it may use "
                            + String.join(", ", keyModels) + "."
                    : "Your organization may not use the model `" + request.model() + "`; it may use "
                            + String.join(", ", exchange.principal().organizationModels()) + ".", "model", null);
        }
        try {
            return openOn(exchange, request.withModel(model.id()), model, streamed, exchange.callId());
        } catch (InferenceException e) {
            Boolean wanted = exchange.fallbacksWanted();
            boolean allowed = wanted != null ? wanted : exchange.principal().allowFallbacks();
            if (!outOfService(e) || model.fallbacks().isEmpty() || !allowed) {
                throw e;
            }
            InferenceException last = e;
            for (int i = 0; i < model.fallbacks().size(); i++) {
                String id = model.fallbacks().get(i);
                Optional<ModelInfo> fallback = inference.model(id);
                if (fallback.isEmpty() || !exchange.principal().mayUse(id)) {
                    continue;
                }
                try {
                    Call call = openOn(exchange, request.withModel(id), fallback.get(), streamed,
                            exchange.callId() + "~" + (i + 1));
                    log.info("call {}: model {} is out of service, answered by its fallback {}", exchange.callId(),
                            model.id(), id);
                    return call;
                } catch (InferenceException next) {
                    if (!outOfService(next)) {
                        throw next;
                    }
                    last = next;
                }
            }
            throw last;
        }
    }

    /** A channel's own upstream rates, when it has them; null: the model's engine cost applies. */
    private @Nullable Rates channelCost(String model, @Nullable String channel) {
        if (channel == null) {
            return null;
        }
        for (ModelSettings s : inference.modelSettings(model)) {
            if (channel.equals(s.channel()) && s.cost() != null) {
                return costRates.computeIfAbsent(s.cost(), c -> {
                    long input = c.input() == null ? 0 : Money.parse(c.input());
                    return new Rates(input, c.cachedInput() == null ? input : Money.parse(c.cachedInput()),
                            c.output() == null ? 0 : Money.parse(c.output()));
                });
            }
        }
        return null;
    }

    /** Every channel failed or is out: what a fallback model may answer instead. */
    private static boolean outOfService(InferenceException e) {
        return switch (e.kind()) {
            case UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, OVERLOADED, RATE_LIMITED -> true;
            default -> false;
        };
    }

    private Call openOn(CallOrigin exchange, ChatRequest request, ModelInfo model, boolean streamed, String callId) {
        Integer asked = request.sampling().maxTokens();
        long maxOutput = asked != null ? asked : model.maxOutputTokens();
        KeySpec key = exchange.principal().spec();
        Admission admission = billing.admit(new CallRequest(callId, exchange.principal().organizationId(),
                exchange.principal().keyId(), request.model(), inputTokensAtMost(request), maxOutput, streamed,
                new KeyLimits(key.rpm(), key.tpm(), key.maxStreams(), key.spendLimitDaily(),
                        key.spendLimitMonthly()), model.machineCostPerHour()));
        if (admission.limits() != null) {
            exchange.rateLimits(admission.limits());
        }
        exchange.answeringModel(model.id());
        Call call = new Call(exchange, request, model, admission, streamed);
        call.span = traces.start(exchange, request, model.engine(), streamed);
        try {
            call.engineStartNanos = System.nanoTime();
            String affinity = exchange.requestHeader("x-tandem-affinity");
            call.stream = affinity == null || affinity.isBlank() ? inference.chat(request)
                    : ScopedValue.where(Inference.AFFINITY, affinity).call(() -> inference.chat(request));
            call.activeCall = active.begin(call.stream);
            return call;
        } catch (RuntimeException e) {
            if (call.stream != null) {
                call.stream.close();
            }
            call.status = "failed";
            call.finish();
            throw e;
        }
    }

    /**
     * An upper bound of the prompt's tokens, without a tokenizer: its UTF-8 bytes (a token is at least one) plus
     * room for the chat template's own tokens.
     */
    static long inputTokensAtMost(ChatRequest request) {
        long bytes = 256;
        for (ChatMessage m : request.messages()) {
            bytes += 16;
            for (Part p : m.parts()) {
                bytes += switch (p) {
                    case Part.Text t -> utf8Length(t.text());
                    case Part.Reasoning r -> utf8Length(r.text());
                    case Part.ToolCall c -> utf8Length(c.name()) + utf8Length(c.arguments()) + 16;
                    case Part.ToolResult r -> utf8Length(r.content()) + 16;
                };
            }
        }
        for (ToolDefinition t : request.tools()) {
            bytes += utf8Length(t.name()) + utf8Length(t.description()) + utf8Length(t.parameters()) + 32;
        }
        return bytes;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    private static ApiError endedEarly(ActiveStreams.Call call) {
        return call.cutByShutdown()
                ? new ApiError(ErrorKind.OVERLOADED, "Tandem is shutting down; the answer was cut short.", null,
                        Duration.ofSeconds(1))
                : new ApiError(ErrorKind.UPSTREAM, "The engine ended the answer without finishing it.", null, null);
    }

    /** One call from admission to settlement. */
    private final class Call {
        private final CallOrigin exchange;
        private final ChatRequest request;
        private final ModelInfo model;
        private final Admission admission;
        private final boolean streamed;
        private ChatStream stream;
        private ActiveStreams.Call activeCall;
        private ChatEvent.@Nullable Done done;
        private long firstTokenNanos = -1;
        private String status = "failed";
        private boolean settled;
        private boolean finished;
        private @Nullable Settlement settlement;
        private @Nullable Span span;
        /** When the engine was asked, and when its answer was whole: the rest of the time is Tandem's own. */
        private long engineStartNanos;
        private long engineDoneNanos;

        Call(CallOrigin exchange, ChatRequest request, ModelInfo model, Admission admission, boolean streamed) {
            this.exchange = exchange;
            this.request = request;
            this.model = model;
            this.admission = admission;
            this.streamed = streamed;
        }

        void saw(ChatEvent event) {
            if (firstTokenNanos < 0 && !(event instanceof ChatEvent.Done)) {
                firstTokenNanos = System.nanoTime();
            }
            if (event instanceof ChatEvent.Done d) {
                done = d;
            }
        }

        void settle(String outcome, Usage usage) {
            status = outcome;
            settled = true;
            long now = System.nanoTime();
            String channel = stream == null ? null : stream.channel();
            String backend = channel != null ? channel : model.engine() + ":" + model.id();
            settlement = billing.settle(admission, new Metered(backend, exchange.dialectName(), streamed,
                    usage.inputTokens(), usage.cachedInputTokens(), usage.outputTokens(), usage.reasoningTokens(),
                    (now - exchange.startedNanos()) / 1_000_000,
                    firstTokenNanos < 0 ? -1 : (firstTokenNanos - exchange.startedNanos()) / 1_000_000, outcome,
                    channelCost(model.id(), channel)));
        }

        /** Closes the engine stream and settles what was not settled yet (a call that did not complete). */
        void finish() {
            if (finished) {
                return;
            }
            finished = true;
            if (stream != null) {
                stream.close();
            }
            if (activeCall != null) {
                active.done(activeCall);
            }
            Usage usage = done != null ? done.usage() : stream != null ? stream.usageSoFar() : Usage.ZERO;
            if (!settled) {
                try {
                    settle(status, usage);
                } catch (RuntimeException e) {
                    log.warn("call {} ({}) could not be settled: {}", exchange.callId(), status, e.getMessage());
                }
            }
            String finishReason = done != null ? done.reason().name().toLowerCase(Locale.ROOT) : null;
            traces.end(span, request.model(), stream == null ? null : stream.channel(), usage, status, finishReason);
            long end = System.nanoTime();
            metrics.record(request.model(), stream == null ? null : stream.channel(), exchange.dialectName(), status,
                    usage, end - exchange.startedNanos(),
                    firstTokenNanos < 0 ? -1 : firstTokenNanos - exchange.startedNanos(),
                    settlement == null ? 0 : settlement.price(), settlement == null ? 0 : settlement.cost());
            events.publishEvent(new ChatCompleted(exchange.requestId(), exchange.principal().organizationId(),
                    exchange.principal().keyId(), request.model(), exchange.dialectName(), streamed, usage, status,
                    finishReason,
                    (System.nanoTime() - exchange.startedNanos()) / 1_000_000,
                    firstTokenNanos < 0 ? -1 : (firstTokenNanos - exchange.startedNanos()) / 1_000_000));
        }
    }
}
