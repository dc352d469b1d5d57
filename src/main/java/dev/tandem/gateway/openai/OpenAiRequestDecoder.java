package dev.tandem.gateway.openai;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.http.Fields;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.Part;
import dev.tandem.inference.QueuePriority;
import dev.tandem.inference.ResponseFormat;
import dev.tandem.inference.Role;
import dev.tandem.inference.Sampling;
import dev.tandem.inference.ThinkTags;
import dev.tandem.inference.Thinking;
import dev.tandem.inference.ToolChoice;
import dev.tandem.inference.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Decodes the OpenAI chat completions request (and MiniMax's, which shares its shape) into the canonical
 * request. Unknown fields are ignored, as OpenAI-compatible servers do; known fields are checked and errors name
 * them ({@code messages[2].content}).
 */
public final class OpenAiRequestDecoder {

    private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private static final String EMPTY_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";

    private final ObjectMapper json;

    public OpenAiRequestDecoder(ObjectMapper json) {
        this.json = json;
    }

    public OpenAiChatCall decode(JsonNode body) {
        String model = body.path("model").isString() ? body.get("model").asString() : null;
        if (model == null || model.isBlank()) {
            throw ApiError.invalid("you must provide a model parameter", "model");
        }
        List<ChatMessage> messages = messages(body);
        List<ToolDefinition> tools = tools(body);
        ToolChoice toolChoice = toolChoice(body, tools);
        Boolean parallel = Fields.optionalBoolean(body, "parallel_tool_calls", "parallel_tool_calls");

        Integer n = Fields.optionalInt(body, "n", "n", 1, 128);
        if (n != null && n != 1) {
            throw ApiError.invalid("n: only 1 choice per request is supported, was " + n, "n");
        }
        Integer maxCompletion = Fields.optionalInt(body, "max_completion_tokens", "max_completion_tokens", 1,
                Integer.MAX_VALUE);
        Integer maxTokens = maxCompletion != null ? maxCompletion
                : Fields.optionalInt(body, "max_tokens", "max_tokens", 1, Integer.MAX_VALUE);
        Sampling sampling = new Sampling(maxTokens,
                Fields.optionalNumber(body, "temperature", "temperature", 0, 2),
                Fields.optionalNumber(body, "top_p", "top_p", 0, 1),
                Fields.optionalInt(body, "top_k", "top_k", 0, 1_000_000),
                Fields.optionalLong(body, "seed", "seed"),
                Fields.stringOrStrings(body, "stop", "stop", 4),
                Boolean.TRUE.equals(Fields.optionalBoolean(body, "ignore_eos", "ignore_eos")));

        boolean stream = Boolean.TRUE.equals(Fields.optionalBoolean(body, "stream", "stream"));
        boolean includeUsage = false;
        JsonNode streamOptions = Fields.optionalObject(body, "stream_options", "stream_options");
        if (streamOptions != null) {
            includeUsage = Boolean.TRUE.equals(
                    Fields.optionalBoolean(streamOptions, "include_usage", "stream_options.include_usage"));
        }
        Boolean reasoningSplit = Fields.optionalBoolean(body, "reasoning_split", "reasoning_split");
        ChatRequest request = new ChatRequest(model, messages, tools, toolChoice, parallel == null || parallel,
                responseFormat(body), sampling, thinking(body), stream, serviceTier(body));
        return new OpenAiChatCall(request, stream, includeUsage, reasoningSplit);
    }

    /**
     * OpenAI's {@code service_tier}: "auto" (the default) and "priority" (or "scale") ask for the organization's
     * tier — ahead of others where its organization has the priority tier, else in arrival order (the pipeline caps
     * it); "default" waits in arrival order; "flex" lets everyone else go first.
     */
    private static QueuePriority serviceTier(JsonNode body) {
        String tier = Fields.optionalString(body, "service_tier", "service_tier");
        return switch (tier == null ? "auto" : tier) {
            case "auto", "priority", "scale" -> QueuePriority.HIGH;
            case "default" -> QueuePriority.NORMAL;
            case "flex" -> QueuePriority.LOW;
            default -> throw ApiError.invalid("Invalid value: '" + tier + "'. Supported values are: 'auto', "
                    + "'default', 'flex', 'scale', and 'priority'.", "service_tier");
        };
    }

    private List<ChatMessage> messages(JsonNode body) {
        JsonNode array = body.get("messages");
        if (array == null || array.isNull()) {
            throw ApiError.invalid("'messages' is a required property", "messages");
        }
        if (!array.isArray()) {
            throw ApiError.invalid("messages: expected an array, got " + Fields.type(array), "messages");
        }
        if (array.isEmpty()) {
            throw ApiError.invalid("[] is too short - 'messages'", "messages");
        }
        List<ChatMessage> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(message(array.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private ChatMessage message(JsonNode m, String path) {
        if (!m.isObject()) {
            throw ApiError.invalid(path + ": expected an object, got " + Fields.type(m), path);
        }
        String role = Fields.requiredString(m, "role", path + ".role");
        String name = Fields.optionalString(m, "name", path + ".name");
        return switch (role) {
            case "system", "developer" -> new ChatMessage(Role.SYSTEM, List.of(new Part.Text(text(m, path, true))), name);
            case "user" -> new ChatMessage(Role.USER, List.of(new Part.Text(text(m, path, true))), name);
            case "tool" -> {
                String id = Fields.requiredString(m, "tool_call_id", path + ".tool_call_id");
                yield new ChatMessage(Role.TOOL, List.of(new Part.ToolResult(id, text(m, path, false), false)), name);
            }
            case "assistant" -> assistant(m, path, name);
            default -> throw ApiError.invalid("Invalid value for '" + path + ".role': '" + role
                    + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.", path + ".role");
        };
    }

    private ChatMessage assistant(JsonNode m, String path, @Nullable String name) {
        List<Part> parts = new ArrayList<>();
        String reasoning = Fields.optionalString(m, "reasoning_content", path + ".reasoning_content");
        JsonNode details = Fields.optionalArray(m, "reasoning_details", path + ".reasoning_details");
        if (reasoning == null && details != null) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode d : details) {
                sb.append(d.path("text").asString(""));
            }
            reasoning = sb.toString();
        }
        if (reasoning != null && !reasoning.isEmpty()) {
            parts.add(new Part.Reasoning(reasoning, null));
        }
        String content = text(m, path, false);
        if (ThinkTags.present(content)) {
            parts.addAll(ThinkTags.split(content));
        } else if (!content.isEmpty()) {
            parts.add(new Part.Text(content));
        }
        JsonNode calls = Fields.optionalArray(m, "tool_calls", path + ".tool_calls");
        if (calls != null) {
            for (int j = 0; j < calls.size(); j++) {
                String p = path + ".tool_calls[" + j + "]";
                JsonNode c = calls.get(j);
                String id = Fields.requiredString(c, "id", p + ".id");
                JsonNode fn = Fields.optionalObject(c, "function", p + ".function");
                if (fn == null) {
                    throw ApiError.invalid(p + ".function: Field required", p + ".function");
                }
                String fname = Fields.requiredString(fn, "name", p + ".function.name");
                String args = Fields.optionalString(fn, "arguments", p + ".function.arguments");
                parts.add(new Part.ToolCall(id, fname, jsonObjectText(args == null || args.isBlank() ? "{}" : args,
                        p + ".function.arguments")));
            }
        }
        return new ChatMessage(Role.ASSISTANT, parts, name);
    }

    /** The text of {@code content}: a string, an array of text parts, or (where allowed) absent. */
    private static String text(JsonNode m, String path, boolean required) {
        JsonNode c = m.get("content");
        if (c == null || c.isNull()) {
            if (required) {
                throw ApiError.invalid(path + ".content: Field required", path + ".content");
            }
            return "";
        }
        if (c.isString()) {
            return c.asString();
        }
        if (!c.isArray()) {
            throw ApiError.invalid(path + ".content: expected a string or an array of content parts, got "
                    + Fields.type(c), path + ".content");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            JsonNode part = c.get(i);
            String p = path + ".content[" + i + "]";
            String type = Fields.requiredString(part, "type", p + ".type");
            switch (type) {
                case "text" -> sb.append(Fields.requiredString(part, "text", p + ".text"));
                case "image_url", "input_audio", "file" -> throw ApiError.invalid(p + ".type: '" + type
                        + "' content is not supported by Tandem's text models; send text parts.", p + ".type");
                default -> throw ApiError.invalid("Invalid value for '" + p + ".type': '" + type
                        + "'. Supported values are: 'text'.", p + ".type");
            }
        }
        return sb.toString();
    }

    private List<ToolDefinition> tools(JsonNode body) {
        JsonNode array = Fields.optionalArray(body, "tools", "tools");
        if (array == null) {
            return List.of();
        }
        List<ToolDefinition> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String p = "tools[" + i + "]";
            JsonNode t = array.get(i);
            String type = Fields.requiredString(t, "type", p + ".type");
            if (!type.equals("function")) {
                throw ApiError.invalid("Invalid value for '" + p + ".type': '" + type
                        + "'. Supported values are: 'function'.", p + ".type");
            }
            JsonNode fn = Fields.optionalObject(t, "function", p + ".function");
            if (fn == null) {
                throw ApiError.invalid(p + ".function: Field required", p + ".function");
            }
            String name = Fields.requiredString(fn, "name", p + ".function.name");
            if (!TOOL_NAME.matcher(name).matches()) {
                throw ApiError.invalid("Invalid '" + p + ".function.name': string does not match pattern. Expected a "
                        + "string that matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.", p + ".function.name");
            }
            if (out.stream().anyMatch(d -> d.name().equals(name))) {
                throw ApiError.invalid(p + ".function.name: the tool name '" + name + "' is used twice", p + ".function.name");
            }
            String description = Fields.optionalString(fn, "description", p + ".function.description");
            JsonNode params = Fields.optionalObject(fn, "parameters", p + ".function.parameters");
            out.add(new ToolDefinition(name, description == null ? "" : description,
                    params == null ? EMPTY_SCHEMA : json.writeValueAsString(params)));
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode body, List<ToolDefinition> tools) {
        JsonNode c = body.get("tool_choice");
        if (c == null || c.isNull()) {
            return ToolChoice.AUTO;
        }
        ToolChoice choice;
        if (c.isString()) {
            choice = switch (c.asString()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw ApiError.invalid("Invalid value for 'tool_choice': '" + c.asString()
                        + "'. Supported values are: 'none', 'auto' and 'required', or a named function.", "tool_choice");
            };
        } else if (c.isObject()) {
            String name = c.path("function").path("name").asString("");
            if (name.isEmpty()) {
                throw ApiError.invalid("tool_choice.function.name: Field required", "tool_choice.function.name");
            }
            choice = new ToolChoice.Named(name);
        } else {
            throw ApiError.invalid("tool_choice: expected a string or an object, got " + Fields.type(c), "tool_choice");
        }
        if (!(choice instanceof ToolChoice.Auto) && !(choice instanceof ToolChoice.None) && tools.isEmpty()) {
            throw ApiError.invalid("tool_choice: a tool must be required, but 'tools' is empty", "tool_choice");
        }
        if (choice instanceof ToolChoice.Named named && tools.stream().noneMatch(t -> t.name().equals(named.name()))) {
            throw ApiError.invalid("tool_choice: the function '" + named.name() + "' is not among the tools",
                    "tool_choice");
        }
        return choice;
    }

    private ResponseFormat responseFormat(JsonNode body) {
        JsonNode f = Fields.optionalObject(body, "response_format", "response_format");
        if (f == null) {
            return ResponseFormat.TEXT;
        }
        String type = Fields.requiredString(f, "type", "response_format.type");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> {
                JsonNode js = Fields.optionalObject(f, "json_schema", "response_format.json_schema");
                if (js == null) {
                    throw ApiError.invalid("response_format.json_schema: Field required", "response_format.json_schema");
                }
                String name = Fields.requiredString(js, "name", "response_format.json_schema.name");
                JsonNode schema = Fields.optionalObject(js, "schema", "response_format.json_schema.schema");
                Boolean strict = Fields.optionalBoolean(js, "strict", "response_format.json_schema.strict");
                yield new ResponseFormat.JsonSchema(name,
                        schema == null ? "{\"type\":\"object\"}" : json.writeValueAsString(schema),
                        Boolean.TRUE.equals(strict));
            }
            default -> throw ApiError.invalid("Invalid value for 'response_format.type': '" + type
                    + "'. Supported values are: 'text', 'json_object' and 'json_schema'.", "response_format.type");
        };
    }

    private static Thinking thinking(JsonNode body) {
        String effort = Fields.optionalString(body, "reasoning_effort", "reasoning_effort");
        if (effort == null) {
            return Thinking.DEFAULT;
        }
        return switch (effort) {
            case "none", "minimal" -> Thinking.DISABLED;
            case "low" -> Thinking.enabled(1024);
            case "medium" -> Thinking.enabled(4096);
            case "high" -> Thinking.enabled(16384);
            default -> throw ApiError.invalid("Invalid value for 'reasoning_effort': '" + effort
                    + "'. Supported values are: 'none', 'minimal', 'low', 'medium' and 'high'.", "reasoning_effort");
        };
    }

    private String jsonObjectText(String text, String path) {
        try {
            JsonNode node = json.readTree(text);
            if (node != null && node.isObject()) {
                return text;
            }
        } catch (JacksonException e) {
            // reported below
        }
        throw ApiError.invalid(path + ": must be a JSON object encoded as a string", path);
    }
}
