package dev.tandem.inference.llamacpp;

import de.kherud.llama.LlamaModel;
import dev.tandem.inference.ChatRequest;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.Thinking;
import dev.tandem.inference.engine.OpenAiChatJson;
import dev.tandem.inference.output.ModelOutputParser;
import java.io.StringWriter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * Renders with the model's own Jinja chat template, through llama.cpp's template engine (the same code
 * llama-server uses), so tools, tool calls and earlier reasoning ({@code reasoning_content}) land in the prompt
 * exactly as the model was trained to see them.
 */
final class ChatTemplateRenderer implements PromptRenderer {

    private final LlamaModel model;
    private final ObjectMapper json;
    private final boolean templateSwitchesThinking;

    ChatTemplateRenderer(LlamaModel model, ObjectMapper json, String template) {
        this.model = model;
        this.json = json;
        this.templateSwitchesThinking = template.contains("enable_thinking");
    }

    @Override
    public Prompt render(ChatRequest request, boolean withTools) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            OpenAiChatJson.writeMessages(g, request.messages(), OpenAiChatJson.ReasoningStyle.REASONING_CONTENT);
            if (withTools && !request.tools().isEmpty()) {
                OpenAiChatJson.writeTools(g, request.tools());
            }
            g.writeEndObject();
        }
        String text;
        try {
            text = model.applyTemplate(out.toString());
        } catch (RuntimeException e) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST,
                    "the model's chat template rejected these messages: " + e.getMessage(), "messages");
        }
        boolean opensThinking = text.stripTrailing().endsWith(ModelOutputParser.THINK_OPEN);
        // llama.cpp of this version passes no template kwargs, so thinking is switched off here the way the
        // templates do it themselves: an empty reasoning block right after the generation prompt.
        if (request.thinking().mode() == Thinking.Mode.DISABLED) {
            if (opensThinking) {
                text = text + "\n" + ModelOutputParser.THINK_CLOSE + "\n\n";
                opensThinking = false;
            } else if (templateSwitchesThinking && !text.stripTrailing().endsWith(ModelOutputParser.THINK_CLOSE)) {
                text = text + ModelOutputParser.THINK_OPEN + "\n\n" + ModelOutputParser.THINK_CLOSE + "\n\n";
            }
        }
        boolean startsReasoning = opensThinking;
        return new Prompt(text, startsReasoning);
    }
}
