package dev.tandem.gateway.anthropic;

import dev.tandem.gateway.ChatPipeline;
import dev.tandem.gateway.ChatResult;
import dev.tandem.gateway.ThinkingSignatures;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.inference.Inference;
import dev.tandem.inference.QueuePriority;
import dev.tandem.inference.Thinking;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Anthropic's Messages API, at {@code /v1/messages} and, for clients configured with MiniMax's base URL, at
 * {@code /anthropic/v1/messages}.
 */
@RestController
class AnthropicController {

    private final GatewayHandler handler;
    private final ChatPipeline pipeline;
    private final Inference inference;
    private final JsonWriter json;
    private final AnthropicDialect dialect;
    private final AnthropicRequestDecoder decoder;
    private final AnthropicEncoder encoder;

    AnthropicController(GatewayHandler handler, ChatPipeline pipeline, Inference inference, JsonWriter json,
            ThinkingSignatures signatures) {
        this.handler = handler;
        this.pipeline = pipeline;
        this.inference = inference;
        this.json = json;
        this.dialect = new AnthropicDialect(json);
        this.decoder = new AnthropicRequestDecoder(json.mapper(), signatures);
        this.encoder = new AnthropicEncoder(json, signatures);
    }

    @PostMapping({"/v1/messages", "/anthropic/v1/messages"})
    void messages(HttpServletRequest request, HttpServletResponse response) {
        handler.handleModelCall(dialect, request, response, this::messages);
    }

    private void messages(ApiExchange exchange) throws IOException {
        AnthropicRequestDecoder.Call call = decoder.decode(handler.jsonObject(exchange), true);
        String id = messageId();
        String model = call.request().model();
        boolean showThinking = call.request().thinking().mode() != Thinking.Mode.DISABLED;
        String tier = ChatPipeline.queuePriority(exchange, call.request()) == QueuePriority.HIGH ? "priority"
                : "standard";
        if (call.stream()) {
            pipeline.stream(exchange, call.request(), encoder.streamEncoder(id, model, showThinking, tier));
        } else {
            ChatResult result = pipeline.complete(exchange, call.request());
            exchange.sendJson(200, encoder.body(result, id, model, showThinking, tier));
        }
    }

    @PostMapping({"/v1/messages/count_tokens", "/anthropic/v1/messages/count_tokens"})
    void countTokens(HttpServletRequest request, HttpServletResponse response) {
        handler.handle(dialect, request, response, exchange -> {
            AnthropicRequestDecoder.Call call = decoder.decode(handler.jsonObject(exchange), false);
            Inference.TokenCount count = inference.countTokens(call.request());
            exchange.sendJson(200, json.bytes(g -> {
                g.writeStartObject();
                g.writeNumberProperty("input_tokens", count.tokens());
                g.writeEndObject();
            }));
        });
    }

    private static String messageId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "msg_" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
    }
}
