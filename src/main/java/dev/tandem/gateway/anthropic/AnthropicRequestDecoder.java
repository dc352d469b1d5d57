package dev.tandem.gateway.anthropic;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ThinkingSignatures;
import dev.tandem.gateway.http.Fields;
import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.Part;
import dev.tandem.inference.QueuePriority;
import dev.tandem.inference.ResponseFormat;
import dev.tandem.inference.Role;
import dev.tandem.inference.Sampling;
import dev.tandem.inference.Thinking;
import dev.tandem.inference.ToolChoice;
import dev.tandem.inference.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Decodes Anthropic Messages requests into the canonical request. Field paths in errors follow Anthropic's
 * notation ({@code messages.1.content.0.type}). Thinking blocks must carry a signature Tandem made: their
 * reasoning re-enters the prompt; a forged one is refused.
 */
final class AnthropicRequestDecoder {

    private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,128}$");

    /** A decoded call. */
    record Call(ChatRequest request, boolean stream) {
    }

    private final ObjectMapper json;
    private final ThinkingSignatures signatures;

    AnthropicRequestDecoder(ObjectMapper json, ThinkingSignatures signatures) {
        this.json = json;
        this.signatures = signatures;
    }

    /**
     * @param requireMaxTokens false for {@code count_tokens}, which takes no {@code max_tokens}
     */
    Call decode(JsonNode body, boolean requireMaxTokens) {
        String model = Fields.requiredString(body, "model", "model");
        Integer maxTokens = Fields.optionalInt(body, "max_tokens", "max_tokens", 1, Integer.MAX_VALUE);
        if (requireMaxTokens && maxTokens == null) {
            throw ApiError.invalid("max_tokens: Field required", "max_tokens");
        }
        List<ChatMessage> messages = new ArrayList<>();
        system(body, messages);
        JsonNode array = body.get("messages");
        if (array == null || array.isNull()) {
            throw ApiError.invalid("messages: Field required", "messages");
        }
        if (!array.isArray()) {
            throw ApiError.invalid("messages: Input should be a valid list", "messages");
        }
        if (array.isEmpty()) {
            throw ApiError.invalid("messages: at least one message is required", "messages");
        }
        for (int i = 0; i < array.size(); i++) {
            message(array.get(i), "messages." + i, messages);
        }
        List<ToolDefinition> tools = tools(body);
        JsonNode choice = Fields.optionalObject(body, "tool_choice", "tool_choice");
        ToolChoice toolChoice = toolChoice(choice, tools);
        boolean parallel = choice == null || !choice.path("disable_parallel_tool_use").asBoolean(false);
        Thinking thinking = thinking(body, maxTokens);
        Sampling sampling = new Sampling(maxTokens,
                Fields.optionalNumber(body, "temperature", "temperature", 0, 1),
                Fields.optionalNumber(body, "top_p", "top_p", 0, 1),
                Fields.optionalInt(body, "top_k", "top_k", 0, 1_000_000),
                null,
                stopSequences(body),
                false);
        boolean stream = Boolean.TRUE.equals(Fields.optionalBoolean(body, "stream", "stream"));
        return new Call(new ChatRequest(model, messages, tools, toolChoice, parallel, ResponseFormat.TEXT, sampling,
                thinking, stream, serviceTier(body)), stream);
    }

    /**
     * Anthropic's {@code service_tier}: "auto" (the default) uses the organization's priority tier where it has one
     * (the pipeline caps it); "standard_only" waits in arrival order.
     */
    private static QueuePriority serviceTier(JsonNode body) {
        String tier = Fields.optionalString(body, "service_tier", "service_tier");
        return switch (tier == null ? "auto" : tier) {
            case "auto" -> QueuePriority.HIGH;
            case "standard_only" -> QueuePriority.NORMAL;
            default -> throw ApiError.invalid("service_tier: Input should be 'auto' or 'standard_only'",
                    "service_tier");
        };
    }

    private static void system(JsonNode body, List<ChatMessage> messages) {
        JsonNode s = body.get("system");
        if (s == null || s.isNull()) {
            return;
        }
        if (s.isString()) {
            if (!s.asString().isEmpty()) {
                messages.add(ChatMessage.of(Role.SYSTEM, s.asString()));
            }
            return;
        }
        if (!s.isArray()) {
            throw ApiError.invalid("system: Input should be a valid string or a list of text blocks", "system");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.size(); i++) {
            JsonNode b = s.get(i);
            String type = Fields.requiredString(b, "type", "system." + i + ".type");
            if (!type.equals("text")) {
                throw ApiError.invalid("system." + i + ".type: Input should be 'text'", "system." + i + ".type");
            }
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(Fields.requiredString(b, "text", "system." + i + ".text"));
        }
        if (!sb.isEmpty()) {
            messages.add(ChatMessage.of(Role.SYSTEM, sb.toString()));
        }
    }

    private void message(JsonNode m, String path, List<ChatMessage> out) {
        if (!m.isObject()) {
            throw ApiError.invalid(path + ": Input should be a valid dictionary", path);
        }
        String role = Fields.requiredString(m, "role", path + ".role");
        if (!role.equals("user") && !role.equals("assistant")) {
            throw ApiError.invalid(path + ".role: Input should be 'user' or 'assistant'", path + ".role");
        }
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            throw ApiError.invalid(path + ".content: Field required", path + ".content");
        }
        if (content.isString()) {
            out.add(ChatMessage.of(role.equals("user") ? Role.USER : Role.ASSISTANT, content.asString()));
            return;
        }
        if (!content.isArray()) {
            throw ApiError.invalid(path + ".content: Input should be a valid string or list", path + ".content");
        }
        if (role.equals("assistant")) {
            out.add(new ChatMessage(Role.ASSISTANT, assistantParts(content, path + ".content"), null));
        } else {
            userParts(content, path + ".content", out);
        }
    }

    private List<Part> assistantParts(JsonNode blocks, String path) {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            String p = path + "." + i;
            String type = Fields.requiredString(b, "type", p + ".type");
            switch (type) {
                case "text" -> parts.add(new Part.Text(Fields.requiredString(b, "text", p + ".text")));
                case "thinking" -> {
                    String thinking = Fields.requiredString(b, "thinking", p + ".thinking");
                    String signature = Fields.optionalString(b, "signature", p + ".signature");
                    switch (signatures.verify(thinking, signature)) {
                        case ThinkingSignatures.Check.Valid v -> parts.add(new Part.Reasoning(thinking, v.engineSignature()));
                        case ThinkingSignatures.Check.Invalid x -> throw ApiError.invalid(
                                p + ": Invalid `signature` in `thinking` block", p + ".signature");
                    }
                }
                case "redacted_thinking" -> { } // opaque to us; nothing can be put back into a prompt
                case "tool_use" -> {
                    String id = Fields.requiredString(b, "id", p + ".id");
                    String name = Fields.requiredString(b, "name", p + ".name");
                    JsonNode input = b.get("input");
                    if (input == null || !input.isObject()) {
                        throw ApiError.invalid(p + ".input: Input should be a valid dictionary", p + ".input");
                    }
                    parts.add(new Part.ToolCall(id, name, json.writeValueAsString(input)));
                }
                default -> throw unsupportedBlock(type, p, "'text', 'thinking', 'redacted_thinking' or 'tool_use'");
            }
        }
        return parts;
    }

    private static void userParts(JsonNode blocks, String path, List<ChatMessage> out) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            String p = path + "." + i;
            String type = Fields.requiredString(b, "type", p + ".type");
            switch (type) {
                case "text" -> text.append(Fields.requiredString(b, "text", p + ".text"));
                case "tool_result" -> {
                    String id = Fields.requiredString(b, "tool_use_id", p + ".tool_use_id");
                    boolean error = b.path("is_error").asBoolean(false);
                    out.add(new ChatMessage(Role.TOOL, List.of(new Part.ToolResult(id, resultText(b, p), error)), null));
                }
                case "image", "document" -> throw ApiError.invalid(p + ".type: '" + type
                        + "' blocks are not supported by Tandem's text models; send text blocks.", p + ".type");
                default -> throw unsupportedBlock(type, p, "'text' or 'tool_result'");
            }
        }
        if (!text.isEmpty() || blocks.isEmpty()) {
            out.add(ChatMessage.of(Role.USER, text.toString()));
        }
    }

    private static String resultText(JsonNode block, String path) {
        JsonNode c = block.get("content");
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isString()) {
            return c.asString();
        }
        if (!c.isArray()) {
            throw ApiError.invalid(path + ".content: Input should be a valid string or list", path + ".content");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            JsonNode b = c.get(i);
            String type = Fields.requiredString(b, "type", path + ".content." + i + ".type");
            if (!type.equals("text")) {
                throw ApiError.invalid(path + ".content." + i + ".type: only 'text' is supported in tool results",
                        path + ".content." + i + ".type");
            }
            sb.append(Fields.requiredString(b, "text", path + ".content." + i + ".text"));
        }
        return sb.toString();
    }

    private static ApiError unsupportedBlock(String type, String path, String allowed) {
        return ApiError.invalid(path + ".type: Input tag '" + type + "' found using 'type' does not match any of "
                + "the expected tags: " + allowed, path + ".type");
    }

    private List<ToolDefinition> tools(JsonNode body) {
        JsonNode array = Fields.optionalArray(body, "tools", "tools");
        if (array == null) {
            return List.of();
        }
        List<ToolDefinition> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode t = array.get(i);
            String p = "tools." + i;
            String type = Fields.optionalString(t, "type", p + ".type");
            if (type != null && !type.equals("custom")) {
                throw ApiError.invalid(p + ".type: server tools ('" + type + "') are not available on Tandem; "
                        + "declare client tools with name, description and input_schema", p + ".type");
            }
            String name = Fields.requiredString(t, "name", p + ".name");
            if (!TOOL_NAME.matcher(name).matches()) {
                throw ApiError.invalid(p + ".name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", p + ".name");
            }
            JsonNode schema = Fields.optionalObject(t, "input_schema", p + ".input_schema");
            if (schema == null) {
                throw ApiError.invalid(p + ".input_schema: Field required", p + ".input_schema");
            }
            String description = Fields.optionalString(t, "description", p + ".description");
            out.add(new ToolDefinition(name, description == null ? "" : description, json.writeValueAsString(schema)));
        }
        return out;
    }

    private static ToolChoice toolChoice(@Nullable JsonNode c, List<ToolDefinition> tools) {
        if (c == null) {
            return ToolChoice.AUTO;
        }
        String type = Fields.requiredString(c, "type", "tool_choice.type");
        ToolChoice choice = switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "any" -> ToolChoice.REQUIRED;
            case "tool" -> new ToolChoice.Named(Fields.requiredString(c, "name", "tool_choice.name"));
            default -> throw ApiError.invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'",
                    "tool_choice.type");
        };
        if ((choice instanceof ToolChoice.Required || choice instanceof ToolChoice.Named) && tools.isEmpty()) {
            throw ApiError.invalid("tool_choice: a tool must be used, but no tools are given", "tool_choice");
        }
        if (choice instanceof ToolChoice.Named n && tools.stream().noneMatch(t -> t.name().equals(n.name()))) {
            throw ApiError.invalid("tool_choice.name: '" + n.name() + "' is not among the tools", "tool_choice.name");
        }
        return choice;
    }

    private static Thinking thinking(JsonNode body, @Nullable Integer maxTokens) {
        JsonNode t = Fields.optionalObject(body, "thinking", "thinking");
        if (t == null) {
            return Thinking.DEFAULT;
        }
        String type = Fields.requiredString(t, "type", "thinking.type");
        return switch (type) {
            case "disabled" -> Thinking.DISABLED;
            case "adaptive" -> Thinking.enabled(null);
            case "enabled" -> {
                Integer budget = Fields.optionalInt(t, "budget_tokens", "thinking.budget_tokens", 1024,
                        Integer.MAX_VALUE);
                if (budget == null) {
                    throw ApiError.invalid("thinking.enabled.budget_tokens: Field required", "thinking.budget_tokens");
                }
                if (maxTokens != null && budget >= maxTokens) {
                    throw ApiError.invalid("`max_tokens` must be greater than `thinking.budget_tokens`", "max_tokens");
                }
                yield Thinking.enabled(budget);
            }
            default -> throw ApiError.invalid("thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'",
                    "thinking.type");
        };
    }

    private static List<String> stopSequences(JsonNode body) {
        JsonNode array = Fields.optionalArray(body, "stop_sequences", "stop_sequences");
        if (array == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isString()) {
                throw ApiError.invalid("stop_sequences." + i + ": Input should be a valid string", "stop_sequences");
            }
            out.add(array.get(i).asString());
        }
        return out;
    }
}
