package dev.tandem.inference.llamacpp;

import dev.tandem.inference.ChatRequest;

/** Turns a canonical conversation into the prompt text a local model continues. */
sealed interface PromptRenderer permits ChatTemplateRenderer, PlainPromptRenderer {

    /**
     * @param request   the conversation
     * @param withTools whether the tools are shown to the model (not when it must not call them)
     */
    Prompt render(ChatRequest request, boolean withTools);

    /**
     * A rendered prompt.
     *
     * @param text            what the model continues
     * @param startsReasoning true when the text ends inside an opened {@code <think>} block
     */
    record Prompt(String text, boolean startsReasoning) {
    }
}
