package dev.tandem.gateway.metrics;

import dev.tandem.gateway.CallOrigin;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One OpenTelemetry span per model call, named and described as the GenAI semantic conventions say
 * ({@code chat <model>}, {@code gen_ai.*} attributes), child of the caller's {@code traceparent} when it sent one,
 * exported over OTLP/HTTP when {@code TANDEM_OTLP_ENDPOINT} is set. Without it nothing is recorded and a call
 * pays one null check.
 */
@Component
public class CallTraces implements DisposableBean {

    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    private static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    private static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    private static final AttributeKey<Double> TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
    private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    private static final AttributeKey<List<String>> FINISH = AttributeKey.stringArrayKey(
            "gen_ai.response.finish_reasons");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("tandem.channel");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("tandem.request_id");
    private static final AttributeKey<String> ORGANIZATION = AttributeKey.stringKey("tandem.organization_id");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("tandem.outcome");
    private static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("tandem.stream");

    private static final TextMapGetter<CallOrigin> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(CallOrigin carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public @Nullable String get(@Nullable CallOrigin carrier, String key) {
            return carrier == null ? null : carrier.requestHeader(key);
        }
    };

    private final @Nullable SdkTracerProvider provider;
    private final @Nullable Tracer tracer;

    public CallTraces(@Value("${tandem.otlp.endpoint:}") String endpoint,
            @Value("${tandem.otlp.headers:}") String headers) {
        if (endpoint.isBlank()) {
            provider = null;
            tracer = null;
            return;
        }
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint.replaceAll("/+$", "") + "/v1/traces").setTimeout(Duration.ofSeconds(10));
        for (String pair : headers.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                exporter.addHeader(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "tandem"))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                        .setScheduleDelay(Duration.ofMillis(500)).build())
                .build();
        tracer = provider.get("dev.tandem");
    }

    /** Starts the span of a call to {@code model} served by {@code engine}; null when tracing is off. */
    public @Nullable Span start(CallOrigin exchange, ChatRequest request, String engine, boolean stream) {
        if (tracer == null) {
            return null;
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), exchange, HEADERS);
        var b = tracer.spanBuilder("chat " + request.model()).setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, "chat").setAttribute(PROVIDER, engine)
                .setAttribute(REQUEST_MODEL, request.model()).setAttribute(STREAM, stream)
                .setAttribute(REQUEST_ID, exchange.requestId())
                .setAttribute(ORGANIZATION, exchange.principal().organizationId());
        if (request.sampling().maxTokens() != null) {
            b.setAttribute(MAX_TOKENS, request.sampling().maxTokens().longValue());
        }
        if (request.sampling().temperature() != null) {
            b.setAttribute(TEMPERATURE, request.sampling().temperature());
        }
        if (request.sampling().topP() != null) {
            b.setAttribute(TOP_P, request.sampling().topP());
        }
        return b.startSpan();
    }

    /** Ends a call's span with what it produced and how it ended. */
    public void end(@Nullable Span span, String model, @Nullable String channel, Usage usage, String outcome,
            @Nullable String finishReason) {
        if (span == null) {
            return;
        }
        span.setAttribute(RESPONSE_MODEL, model);
        span.setAttribute(INPUT_TOKENS, usage.inputTokens());
        span.setAttribute(OUTPUT_TOKENS, usage.outputTokens());
        span.setAttribute(OUTCOME, outcome);
        if (channel != null) {
            span.setAttribute(CHANNEL, channel);
        }
        if (finishReason != null) {
            span.setAttribute(FINISH, List.of(finishReason));
        }
        if (!outcome.equals("completed")) {
            span.setAttribute(ERROR_TYPE, outcome);
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }

    @Override
    public void destroy() {
        if (provider != null) {
            provider.close(); // flushes what is still queued
        }
    }
}
