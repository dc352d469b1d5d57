package dev.tandem.inference.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a model family writes tool calls into its output text, and how to read them back.
 *
 * <p>Chosen from the model's chat template: Hermes-style {@code <tool_call>{json}</tool_call>} (Qwen, Hermes and
 * Tandem's own plain template), Mistral's {@code [TOOL_CALLS][...]}, and MiniMax-M2's
 * {@code <minimax:tool_call><invoke name=..>} XML.
 */
public enum ToolCallSyntax {

    /** No tool calls are read from text. */
    NONE(null, null),
    HERMES("<tool_call>", "</tool_call>"),
    /** Mistral: a JSON array after the marker, to the end of the output. */
    MISTRAL("[TOOL_CALLS]", null),
    MINIMAX("<minimax:tool_call>", "</minimax:tool_call>");

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern INVOKE = Pattern.compile("<invoke name=\"([^\"]+)\">(.*?)</invoke>", Pattern.DOTALL);
    private static final Pattern PARAMETER =
            Pattern.compile("<parameter name=\"([^\"]+)\">(.*?)</parameter>", Pattern.DOTALL);

    private final @Nullable String open;
    private final @Nullable String close;

    ToolCallSyntax(@Nullable String open, @Nullable String close) {
        this.open = open;
        this.close = close;
    }

    /** The marker that starts a tool call in the text, or null for {@link #NONE}. */
    public @Nullable String open() {
        return open;
    }

    /** The marker that ends it, or null when a call runs to the end of the output. */
    public @Nullable String close() {
        return close;
    }

    /** Picks the syntax a chat template teaches its model; {@code HERMES} when the template says nothing. */
    public static ToolCallSyntax forTemplate(@Nullable String template) {
        if (template == null) {
            return HERMES;
        }
        String t = template.toLowerCase(Locale.ROOT);
        if (t.contains("<minimax:tool_call>")) {
            return MINIMAX;
        }
        if (t.contains("[tool_calls]")) {
            return MISTRAL;
        }
        return HERMES;
    }

    /** A parsed call: name and arguments as JSON object text. */
    public record Call(String name, String arguments) {
    }

    /**
     * Reads the calls between the markers.
     *
     * @param body the text between {@link #open()} and {@link #close()} (or the end of the output)
     * @return the calls, or null when the body is not a well-formed call (the text is then kept as text)
     */
    public @Nullable List<Call> parse(String body) {
        try {
            return switch (this) {
                case NONE -> null;
                case HERMES -> parseJsonCalls(body);
                case MISTRAL -> parseJsonCalls(body);
                case MINIMAX -> parseInvokes(body);
            };
        } catch (JacksonException e) {
            return null;
        }
    }

    private static @Nullable List<Call> parseJsonCalls(String body) {
        String text = body.strip();
        if (text.isEmpty()) {
            return null;
        }
        JsonNode node = JSON.readTree(text);
        List<Call> calls = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                Call c = toCall(item);
                if (c == null) {
                    return null;
                }
                calls.add(c);
            }
        } else {
            Call c = toCall(node);
            if (c == null) {
                return null;
            }
            calls.add(c);
        }
        return calls.isEmpty() ? null : calls;
    }

    private static @Nullable Call toCall(JsonNode node) {
        if (!node.isObject() || !node.path("name").isString()) {
            return null;
        }
        JsonNode args = node.has("arguments") ? node.get("arguments") : node.get("parameters");
        String arguments;
        if (args == null || args.isNull()) {
            arguments = "{}";
        } else if (args.isString()) {
            JsonNode parsed = JSON.readTree(args.asString());
            if (!parsed.isObject()) {
                return null;
            }
            arguments = JSON.writeValueAsString(parsed);
        } else if (args.isObject()) {
            arguments = JSON.writeValueAsString(args);
        } else {
            return null;
        }
        return new Call(node.get("name").asString(), arguments);
    }

    private static @Nullable List<Call> parseInvokes(String body) {
        List<Call> calls = new ArrayList<>();
        Matcher invoke = INVOKE.matcher(body);
        while (invoke.find()) {
            ObjectNode args = JSON.createObjectNode();
            Matcher param = PARAMETER.matcher(invoke.group(2));
            while (param.find()) {
                String raw = param.group(2).strip();
                args.set(param.group(1), parseValue(raw));
            }
            calls.add(new Call(invoke.group(1), JSON.writeValueAsString(args)));
        }
        return calls.isEmpty() ? null : calls;
    }

    private static JsonNode parseValue(String raw) {
        try {
            return JSON.readTree(raw);
        } catch (JacksonException notJson) {
            return JSON.getNodeFactory().stringNode(raw);
        }
    }
}
