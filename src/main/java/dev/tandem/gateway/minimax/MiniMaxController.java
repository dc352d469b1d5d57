package dev.tandem.gateway.minimax;

import dev.tandem.gateway.ChatPipeline;
import dev.tandem.gateway.ChatResult;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.gateway.openai.OpenAiChatCall;
import dev.tandem.gateway.openai.OpenAiEncoder;
import dev.tandem.gateway.openai.OpenAiRequestDecoder;
import dev.tandem.gateway.openai.ReasoningOutput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * MiniMax's native chat endpoint {@code /v1/text/chatcompletion_v2}: the OpenAI request shape, answers with
 * {@code base_resp}, reasoning inline as {@code <think>} unless {@code reasoning_split} asks for
 * {@code reasoning_details}, and errors reported in {@code base_resp} with MiniMax's status codes.
 */
@RestController
class MiniMaxController {

    private final GatewayHandler handler;
    private final ChatPipeline pipeline;
    private final MiniMaxDialect dialect;
    private final OpenAiRequestDecoder decoder;
    private final OpenAiEncoder inline;
    private final OpenAiEncoder split;

    MiniMaxController(GatewayHandler handler, ChatPipeline pipeline, JsonWriter json) {
        this.handler = handler;
        this.pipeline = pipeline;
        this.dialect = new MiniMaxDialect(json);
        this.decoder = new OpenAiRequestDecoder(json.mapper());
        this.inline = new OpenAiEncoder(json, ReasoningOutput.THINK_TAGS, true);
        this.split = new OpenAiEncoder(json, ReasoningOutput.REASONING_DETAILS, true);
    }

    @PostMapping("/v1/text/chatcompletion_v2")
    void chat(HttpServletRequest request, HttpServletResponse response) {
        handler.handleModelCall(dialect, request, response, this::chat);
    }

    private void chat(ApiExchange exchange) throws IOException {
        OpenAiChatCall call = decoder.decode(handler.jsonObject(exchange));
        OpenAiEncoder encoder = Boolean.TRUE.equals(call.reasoningSplit()) ? split : inline;
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                + Long.toHexString(System.nanoTime());
        long created = Instant.now().getEpochSecond();
        String model = call.request().model();
        if (call.stream()) {
            pipeline.stream(exchange, call.request(), encoder.streamEncoder(id, model, created, true, null));
        } else {
            ChatResult result = pipeline.complete(exchange, call.request());
            exchange.sendJson(200, encoder.body(result, id, model, created, null));
        }
    }
}
