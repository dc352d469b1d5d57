package dev.tandem.inference;

import java.util.List;
import java.util.Objects;

/**
 * A chat request in canonical form: what every dialect decodes into and every engine consumes.
 *
 * @param model             the public model id from the catalog
 * @param messages          the conversation, system turns included, oldest first
 * @param tools             tools the model may call
 * @param toolChoice        whether and which tool it must call
 * @param parallelToolCalls whether several calls may come in one turn
 * @param responseFormat    free text or JSON
 * @param sampling          token selection and limits
 * @param thinking          reasoning switch
 * @param stream            whether the caller takes the answer as it is produced; when false, remote engines may
 *                          fetch it whole, which is cheaper for them and for the upstream
 * @param priority          where the call waits when its engine or channel is full
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        List<ToolDefinition> tools,
        ToolChoice toolChoice,
        boolean parallelToolCalls,
        ResponseFormat responseFormat,
        Sampling sampling,
        Thinking thinking,
        boolean stream,
        QueuePriority priority) {

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(responseFormat, "responseFormat");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(thinking, "thinking");
        Objects.requireNonNull(priority, "priority");
    }

    /** A plain request: these messages, default everything else. */
    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, List.of(), ToolChoice.AUTO, true, ResponseFormat.TEXT,
                Sampling.DEFAULT, Thinking.DEFAULT, false, QueuePriority.NORMAL);
    }

    public ChatRequest withSampling(Sampling s) {
        return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, responseFormat, s, thinking, stream, priority);
    }

    public ChatRequest withModel(String m) {
        return new ChatRequest(m, messages, tools, toolChoice, parallelToolCalls, responseFormat, sampling, thinking, stream, priority);
    }

    public ChatRequest withStream(boolean s) {
        return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, responseFormat, sampling, thinking, s,
                priority);
    }

    public ChatRequest withPriority(QueuePriority p) {
        if (p == priority) {
            return this;
        }
        return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, responseFormat, sampling, thinking,
                stream, p);
    }

    public ChatRequest withMessages(List<ChatMessage> m) {
        return new ChatRequest(model, m, tools, toolChoice, parallelToolCalls, responseFormat, sampling, thinking, stream, priority);
    }
}
