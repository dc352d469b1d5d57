package dev.tandem.gateway.openai;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ChatPipeline;
import dev.tandem.gateway.ChatResult;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.inference.Inference;
import dev.tandem.inference.ModelInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;

/** OpenAI's chat completions and models endpoints, with MiniMax's {@code reasoning_split} extension. */
@RestController
class OpenAiController {

    private final GatewayHandler handler;
    private final ChatPipeline pipeline;
    private final Inference inference;
    private final JsonWriter json;
    private final OpenAiDialect dialect;
    private final OpenAiRequestDecoder decoder;
    private final Map<ReasoningOutput, OpenAiEncoder> encoders = new EnumMap<>(ReasoningOutput.class);

    OpenAiController(GatewayHandler handler, ChatPipeline pipeline, Inference inference, JsonWriter json) {
        this.handler = handler;
        this.pipeline = pipeline;
        this.inference = inference;
        this.json = json;
        this.dialect = new OpenAiDialect(json);
        this.decoder = new OpenAiRequestDecoder(json.mapper());
        for (ReasoningOutput r : ReasoningOutput.values()) {
            encoders.put(r, new OpenAiEncoder(json, r, false));
        }
    }

    @PostMapping("/v1/chat/completions")
    void chat(HttpServletRequest request, HttpServletResponse response) {
        handler.handleModelCall(dialect, request, response, this::chat);
    }

    private void chat(ApiExchange exchange) throws IOException {
        OpenAiChatCall call = decoder.decode(handler.jsonObject(exchange));
        ReasoningOutput mode = call.reasoningSplit() == null ? ReasoningOutput.REASONING_CONTENT
                : call.reasoningSplit() ? ReasoningOutput.REASONING_DETAILS : ReasoningOutput.THINK_TAGS;
        OpenAiEncoder encoder = encoders.get(mode);
        String id = completionId();
        long created = Instant.now().getEpochSecond();
        String model = call.request().model();
        String tier = switch (ChatPipeline.queuePriority(exchange, call.request())) {
            case HIGH -> "priority";
            case NORMAL -> "default";
            case LOW -> "flex";
        };
        if (call.stream()) {
            pipeline.stream(exchange, call.request(), encoder.streamEncoder(id, model, created, call.includeUsage(),
                    tier));
        } else {
            ChatResult result = pipeline.complete(exchange, call.request());
            exchange.sendJson(200, encoder.body(result, id, model, created, tier));
        }
    }

    static String completionId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "chatcmpl-" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
    }

    @GetMapping("/v1/models")
    void models(HttpServletRequest request, HttpServletResponse response) {
        handler.handle(dialect, request, response, exchange -> exchange.sendJson(200, json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("object", "list");
            g.writeArrayPropertyStart("data");
            for (ModelInfo m : inference.models()) {
                if (exchange.principal().mayUse(m.id())) {
                    writeModel(g, m);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        })));
    }

    @GetMapping("/v1/models/{*id}")
    void model(@PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response) {
        String modelId = id.startsWith("/") ? id.substring(1) : id;
        handler.handle(dialect, request, response, exchange -> {
            ModelInfo m = inference.model(modelId)
                    .filter(found -> exchange.principal().mayUse(modelId) || exchange.principal().mayUse(found.id()))
                    .orElseThrow(() -> new ApiError(ErrorKind.NOT_FOUND, "The model `" + modelId
                            + "` does not exist or you do not have access to it.", "model", null));
            exchange.sendJson(200, json.bytes(g -> writeModel(g, m)));
        });
    }

    private static void writeModel(JsonGenerator g, ModelInfo m) {
        g.writeStartObject();
        g.writeStringProperty("id", m.id());
        g.writeStringProperty("object", "model");
        g.writeNumberProperty("created", m.created());
        g.writeStringProperty("owned_by", m.ownedBy());
        g.writeNumberProperty("context_length", m.contextLength());
        g.writeNumberProperty("max_output_tokens", m.maxOutputTokens());
        g.writeStringProperty("engine", m.engine());
        g.writeBooleanProperty("ready", m.state().ready());
        g.writeEndObject();
    }
}
