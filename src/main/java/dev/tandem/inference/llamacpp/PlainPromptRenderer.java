package dev.tandem.inference.llamacpp;

import dev.tandem.inference.ChatMessage;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.Part;
import dev.tandem.inference.ToolDefinition;

/**
 * The fallback for models whose file has no chat template (base models such as {@code stories260K}): a
 * transcript with {@code User:} and {@code Assistant:} lines, system text first. Tools are described in Hermes
 * style, which is also how {@link dev.tandem.inference.output.ToolCallSyntax#HERMES} reads calls back.
 */
final class PlainPromptRenderer implements PromptRenderer {

    @Override
    public Prompt render(ChatRequest request, boolean withTools) {
        StringBuilder sb = new StringBuilder();
        StringBuilder system = new StringBuilder();
        for (ChatMessage m : request.messages()) {
            if (m.role() == dev.tandem.inference.Role.SYSTEM) {
                if (!system.isEmpty()) {
                    system.append('\n');
                }
                system.append(m.text());
            }
        }
        if (withTools && !request.tools().isEmpty()) {
            if (!system.isEmpty()) {
                system.append("\n\n");
            }
            system.append("You can call these tools:\n<tools>\n");
            for (ToolDefinition t : request.tools()) {
                system.append("{\"name\": \"").append(t.name()).append("\", \"description\": \"")
                        .append(t.description().replace("\"", "\\\"")).append("\", \"parameters\": ")
                        .append(t.parameters()).append("}\n");
            }
            system.append("</tools>\nTo call a tool, answer with <tool_call>{\"name\": <name>, \"arguments\": "
                    + "<arguments>}</tool_call>.");
        }
        if (!system.isEmpty()) {
            sb.append(system).append("\n\n");
        }
        for (ChatMessage m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> { }
                case USER -> sb.append("User: ").append(m.text()).append('\n');
                case ASSISTANT -> {
                    sb.append("Assistant: ");
                    for (Part p : m.parts()) {
                        switch (p) {
                            case Part.Reasoning r -> sb.append("<think>").append(r.text()).append("</think>");
                            case Part.Text t -> sb.append(t.text());
                            case Part.ToolCall c -> sb.append("<tool_call>{\"name\": \"").append(c.name())
                                    .append("\", \"arguments\": ").append(c.arguments()).append("}</tool_call>");
                            case Part.ToolResult ignored -> { }
                        }
                    }
                    sb.append('\n');
                }
                case TOOL -> {
                    for (Part p : m.parts()) {
                        if (p instanceof Part.ToolResult r) {
                            sb.append("Tool result: ").append(r.content()).append('\n');
                        }
                    }
                }
            }
        }
        sb.append("Assistant:");
        return new Prompt(sb.toString(), false);
    }
}
