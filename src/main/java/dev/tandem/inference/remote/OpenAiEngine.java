package dev.tandem.inference.remote;

import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.EngineCapabilities;
import dev.tandem.inference.Inference;
import dev.tandem.inference.ResponseFormat;
import dev.tandem.inference.Sampling;
import dev.tandem.inference.ToolChoice;
import dev.tandem.inference.ModelSettings;
import dev.tandem.inference.engine.OpenAiChatJson;
import dev.tandem.inference.engine.OpenAiChatJson.ReasoningStyle;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * Any server that speaks OpenAI's chat completions API: vLLM, SGLang, llama-server, Ollama, MiniMax, OpenAI.
 * Streamed requests stream upstream with usage requested in the last chunk, others fetch the answer whole; reasoning is read from {@code reasoning_content}, {@code reasoning}, MiniMax's
 * {@code reasoning_details} or inline {@code <think>} tags, whichever the server uses.
 */
public final class OpenAiEngine extends RemoteEngine {

    private final ReasoningStyle reasoningStyle;

    public OpenAiEngine(ModelSettings settings, ObjectMapper json) {
        super(settings, json, hasKey(settings) ? Map.of("authorization", "Bearer " + settings.apiKey()) : Map.of(),
                new EngineCapabilities(true, true, true, false), 131072, 32768);
        this.reasoningStyle = settings.reasoningFormat() == null ? ReasoningStyle.REASONING_CONTENT
                : ReasoningStyle.parse(settings.reasoningFormat());
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        byte[] body = requestBody(request);
        RemoteHttp.Reply response = http.post("/chat/completions", body,
                request.stream() ? "text/event-stream" : "application/json");
        return new OpenAiChatStream(http.modelId(), response, json);
    }

    /** No tokenizer for remote models here: about four bytes of UTF-8 per token. */
    @Override
    public Inference.TokenCount countTokens(ChatRequest request) {
        return new Inference.TokenCount(Math.max(1, requestBody(request).length / 4), false);
    }

    byte[] requestBody(ChatRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("model", upstreamModel);
            OpenAiChatJson.writeMessages(g, request.messages(), reasoningStyle);
            if (!request.tools().isEmpty()) {
                OpenAiChatJson.writeTools(g, request.tools());
                switch (request.toolChoice()) {
                    case ToolChoice.Auto a -> g.writeStringProperty("tool_choice", "auto");
                    case ToolChoice.None n -> g.writeStringProperty("tool_choice", "none");
                    case ToolChoice.Required r -> g.writeStringProperty("tool_choice", "required");
                    case ToolChoice.Named n -> {
                        g.writeObjectPropertyStart("tool_choice");
                        g.writeStringProperty("type", "function");
                        g.writeObjectPropertyStart("function");
                        g.writeStringProperty("name", n.name());
                        g.writeEndObject();
                        g.writeEndObject();
                    }
                }
                if (!request.parallelToolCalls()) {
                    g.writeBooleanProperty("parallel_tool_calls", false);
                }
            }
            switch (request.responseFormat()) {
                case ResponseFormat.Text t -> { }
                case ResponseFormat.JsonObject j -> {
                    g.writeObjectPropertyStart("response_format");
                    g.writeStringProperty("type", "json_object");
                    g.writeEndObject();
                }
                case ResponseFormat.JsonSchema s -> {
                    g.writeObjectPropertyStart("response_format");
                    g.writeStringProperty("type", "json_schema");
                    g.writeObjectPropertyStart("json_schema");
                    g.writeStringProperty("name", s.name());
                    g.writeName("schema");
                    g.writeRawValue(s.schema());
                    if (s.strict()) {
                        g.writeBooleanProperty("strict", true);
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
            }
            Sampling s = request.sampling();
            g.writeNumberProperty("max_tokens", s.maxTokens() != null ? s.maxTokens() : maxOutputTokens());
            OpenAiChatJson.writeSamplers(g, s);
            if (s.seed() != null) {
                g.writeNumberProperty("seed", s.seed());
            }
            OpenAiChatJson.writeStops(g, "stop", s.stop());
            if (s.ignoreEos()) {
                g.writeBooleanProperty("ignore_eos", true); // vLLM, SGLang and llama-server know it
            }
            if (reasoningStyle == ReasoningStyle.REASONING_DETAILS) {
                g.writeBooleanProperty("reasoning_split", true);
            }
            g.writeBooleanProperty("stream", request.stream());
            if (request.stream()) {
                g.writeObjectPropertyStart("stream_options");
                g.writeBooleanProperty("include_usage", true);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

}
