package dev.tandem.inference.llamacpp;

import de.kherud.llama.LlamaModel;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.ToolChoice;
import dev.tandem.inference.ToolDefinition;
import dev.tandem.inference.output.ToolCallSyntax;
import java.util.List;
import java.util.regex.Pattern;

/**
 * GBNF grammars that constrain what llama.cpp may sample: JSON that fits a schema ({@code response_format}), or a
 * tool call in the model's own syntax when the caller requires one ({@code tool_choice} required or named).
 * Schemas are turned into grammars by llama.cpp's own converter.
 */
final class Grammars {

    private static final Pattern ROOT_RULE = Pattern.compile("(?m)^root\\s*::=");

    private Grammars() {
    }

    /** A grammar for JSON satisfying {@code schema}; {@code param} names the request field when it is invalid. */
    static String fromSchema(String schema, String param) {
        try {
            return LlamaModel.jsonSchemaToGrammar(schema);
        } catch (RuntimeException e) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST,
                    "cannot constrain output to this JSON schema: " + e.getMessage(), param);
        }
    }

    /** A grammar for exactly one call of the allowed tools, written in {@code syntax}. */
    static String toolCall(ChatRequest request, ToolCallSyntax syntax) {
        List<ToolDefinition> allowed = request.tools();
        if (request.toolChoice() instanceof ToolChoice.Named named) {
            allowed = allowed.stream().filter(t -> t.name().equals(named.name())).toList();
        }
        StringBuilder schema = new StringBuilder("{\"oneOf\":[");
        for (int i = 0; i < allowed.size(); i++) {
            ToolDefinition t = allowed.get(i);
            if (i > 0) {
                schema.append(',');
            }
            schema.append("{\"type\":\"object\",\"properties\":{\"name\":{\"const\":")
                    .append(quote(t.name())).append("},\"arguments\":").append(t.parameters())
                    .append("},\"required\":[\"name\",\"arguments\"]}");
        }
        schema.append("]}");
        String call = ROOT_RULE.matcher(fromSchema(schema.toString(), "tools")).replaceFirst("tool-call ::=");
        return switch (syntax) {
            case HERMES -> "root ::= \"<tool_call>\\n\" tool-call \"\\n</tool_call>\"\n" + call;
            case MISTRAL -> "root ::= \"[TOOL_CALLS][\" tool-call \"]\"\n" + call;
            // MiniMax writes calls as XML; no grammar, the model's own training has to do.
            case MINIMAX, NONE -> null;
        };
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
