package dev.tandem.inference.remote;

import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.EngineCapabilities;
import dev.tandem.inference.Inference;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.Part;
import dev.tandem.inference.ResponseFormat;
import dev.tandem.inference.Role;
import dev.tandem.inference.Sampling;
import dev.tandem.inference.Thinking;
import dev.tandem.inference.ToolChoice;
import dev.tandem.inference.ToolDefinition;
import dev.tandem.inference.ModelSettings;
import dev.tandem.inference.engine.OpenAiChatJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * Any server that speaks Anthropic's Messages API: Anthropic itself, MiniMax's {@code /anthropic}, and other
 * compatible servers. Thinking blocks go back upstream with the upstream's own signature; reasoning that came from
 * another engine has none and is left out (the upstream would reject it). JSON output is obtained the way
 * Anthropic recommends: a forced tool whose input is the answer.
 */
public final class AnthropicEngine extends RemoteEngine {

    static final String JSON_TOOL = "json_response";

    public AnthropicEngine(ModelSettings settings, ObjectMapper json) {
        super(settings, json, hasKey(settings)
                        ? Map.of("anthropic-version", "2023-06-01", "x-api-key", settings.apiKey())
                        : Map.of("anthropic-version", "2023-06-01"),
                new EngineCapabilities(true, true, true, true), 200000, 32000);
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        boolean jsonAnswer = !(request.responseFormat() instanceof ResponseFormat.Text);
        RemoteHttp.Reply response = http.post("/v1/messages", body(request, true, jsonAnswer),
                request.stream() ? "text/event-stream" : "application/json");
        return new AnthropicChatStream(http.modelId(), response, json, jsonAnswer);
    }

    @Override
    public Inference.TokenCount countTokens(ChatRequest request) {
        RemoteHttp.Reply response = http.post("/v1/messages/count_tokens", body(request, false, false),
                "application/json");
        try (InputStream in = response.body()) {
            int tokens = json.readTree(in.readAllBytes()).path("input_tokens").asInt(-1);
            if (tokens < 0) {
                throw new InferenceException(InferenceException.Kind.UPSTREAM_UNAVAILABLE,
                        "the upstream of model " + settings.id() + " gave no input_tokens");
            }
            return new Inference.TokenCount(tokens, true);
        } catch (IOException e) {
            throw UpstreamErrors.fromIo(settings.id(), e);
        }
    }

    byte[] body(ChatRequest request, boolean forGeneration, boolean jsonAnswer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("model", upstreamModel);
            Sampling s = request.sampling();
            if (forGeneration) {
                g.writeNumberProperty("max_tokens", s.maxTokens() != null ? s.maxTokens() : maxOutputTokens());
            }
            String system = request.messages().stream().filter(m -> m.role() == Role.SYSTEM).map(ChatMessage::text)
                    .reduce((a, b) -> a + "\n\n" + b).orElse("");
            if (!system.isEmpty()) {
                g.writeStringProperty("system", system);
            }
            writeMessages(g, request.messages());
            List<ToolDefinition> tools = new ArrayList<>(request.tools());
            if (jsonAnswer) {
                String schema = request.responseFormat() instanceof ResponseFormat.JsonSchema js ? js.schema()
                        : "{\"type\":\"object\"}";
                tools.add(new ToolDefinition(JSON_TOOL, "Give your answer as the input of this tool.", schema));
            }
            if (!tools.isEmpty()) {
                g.writeArrayPropertyStart("tools");
                for (ToolDefinition t : tools) {
                    g.writeStartObject();
                    g.writeStringProperty("name", t.name());
                    if (!t.description().isEmpty()) {
                        g.writeStringProperty("description", t.description());
                    }
                    g.writeName("input_schema");
                    g.writeRawValue(t.parameters());
                    g.writeEndObject();
                }
                g.writeEndArray();
                writeToolChoice(g, jsonAnswer ? new ToolChoice.Named(JSON_TOOL) : request.toolChoice(),
                        request.parallelToolCalls());
            }
            if (forGeneration) {
                OpenAiChatJson.writeSamplers(g, s);
                OpenAiChatJson.writeStops(g, "stop_sequences", s.stop());
                g.writeBooleanProperty("stream", request.stream());
            }
            Thinking thinking = request.thinking();
            if (thinking.mode() == Thinking.Mode.ENABLED && !jsonAnswer) {
                g.writeObjectPropertyStart("thinking");
                g.writeStringProperty("type", "enabled");
                g.writeNumberProperty("budget_tokens", thinking.budgetTokens() != null ? thinking.budgetTokens()
                        : Math.max(1024, Math.min(8192, (s.maxTokens() != null ? s.maxTokens() : 2048) / 2)));
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeToolChoice(JsonGenerator g, ToolChoice choice, boolean parallel) {
        g.writeObjectPropertyStart("tool_choice");
        switch (choice) {
            case ToolChoice.Auto a -> g.writeStringProperty("type", "auto");
            case ToolChoice.None n -> g.writeStringProperty("type", "none");
            case ToolChoice.Required r -> g.writeStringProperty("type", "any");
            case ToolChoice.Named n -> {
                g.writeStringProperty("type", "tool");
                g.writeStringProperty("name", n.name());
            }
        }
        if (!parallel && !(choice instanceof ToolChoice.None)) {
            g.writeBooleanProperty("disable_parallel_tool_use", true);
        }
        g.writeEndObject();
    }

    /** Anthropic wants alternating user/assistant turns; tool results travel in user turns. */
    private static void writeMessages(JsonGenerator g, List<ChatMessage> messages) {
        g.writeArrayPropertyStart("messages");
        String openRole = null;
        for (ChatMessage m : messages) {
            if (m.role() == Role.SYSTEM) {
                continue;
            }
            String role = m.role() == Role.ASSISTANT ? "assistant" : "user";
            if (!role.equals(openRole)) {
                if (openRole != null) {
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeStartObject();
                g.writeStringProperty("role", role);
                g.writeArrayPropertyStart("content");
                openRole = role;
            }
            for (Part p : m.parts()) {
                writePart(g, p);
            }
        }
        if (openRole != null) {
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writePart(JsonGenerator g, Part p) {
        switch (p) {
            case Part.Text t -> {
                if (t.text().isEmpty()) {
                    return;
                }
                g.writeStartObject();
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", t.text());
                g.writeEndObject();
            }
            case Part.Reasoning r -> {
                if (r.engineSignature() == null) {
                    return;
                }
                g.writeStartObject();
                g.writeStringProperty("type", "thinking");
                g.writeStringProperty("thinking", r.text());
                g.writeStringProperty("signature", r.engineSignature());
                g.writeEndObject();
            }
            case Part.ToolCall c -> {
                g.writeStartObject();
                g.writeStringProperty("type", "tool_use");
                g.writeStringProperty("id", c.id());
                g.writeStringProperty("name", c.name());
                g.writeName("input");
                g.writeRawValue(c.arguments().isBlank() ? "{}" : c.arguments());
                g.writeEndObject();
            }
            case Part.ToolResult r -> {
                g.writeStartObject();
                g.writeStringProperty("type", "tool_result");
                g.writeStringProperty("tool_use_id", r.toolCallId());
                g.writeStringProperty("content", r.content());
                if (r.error()) {
                    g.writeBooleanProperty("is_error", true);
                }
                g.writeEndObject();
            }
        }
    }

}
