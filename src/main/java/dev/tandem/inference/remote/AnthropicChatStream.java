package dev.tandem.inference.remote;

import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.FinishReason;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads an Anthropic Messages event stream into canonical events. */
final class AnthropicChatStream implements ChatStream {

    private enum Block { TEXT, THINKING, TOOL, JSON_ANSWER, OTHER }

    private final String modelId;
    private final InputStream body;
    private final SseReader sse;
    private final ObjectMapper json;
    private final boolean jsonAnswer;
    private final boolean jsonBody;
    private final ArrayDeque<ChatEvent> events = new ArrayDeque<>();
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();
    private final StringBuilder signature = new StringBuilder();
    private int inputTokens;
    private int cachedTokens;
    private int outputTokens;
    private int outputChars;
    private @Nullable FinishReason finish;
    private @Nullable String stopSequence;
    private boolean done;
    private volatile boolean closed;

    AnthropicChatStream(String modelId, RemoteHttp.Reply response, ObjectMapper json, boolean jsonAnswer) {
        this.modelId = modelId;
        this.body = response.body();
        this.sse = new SseReader(body);
        this.json = json;
        this.jsonAnswer = jsonAnswer;
        this.jsonBody = response.isJson();
    }

    @Override
    public @Nullable ChatEvent next() {
        while (events.isEmpty()) {
            if (done || closed) {
                return null;
            }
            try {
                if (jsonBody) {
                    readWholeMessage();
                    continue;
                }
                SseReader.Event e = sse.next();
                if (e == null) {
                    if (finish == null) {
                        close();
                        throw new InferenceException(InferenceException.Kind.UPSTREAM_UNAVAILABLE,
                                "the upstream of model " + modelId + " ended its stream before finishing the answer");
                    }
                    end();
                } else if (!e.isBlank()) {
                    onEvent(json.readTree(e.bytes()));
                }
            } catch (IOException e) {
                if (closed) {
                    return null;
                }
                close();
                throw UpstreamErrors.fromIo(modelId, e);
            } catch (JacksonException e) {
                close();
                throw new InferenceException(InferenceException.Kind.UPSTREAM_UNAVAILABLE,
                        "the upstream of model " + modelId + " sent malformed JSON: " + e.getOriginalMessage());
            }
        }
        return events.poll();
    }

    /** A non-streamed answer: the same events, from the whole message. */
    private void readWholeMessage() throws IOException {
        JsonNode m = json.readTree(body.readAllBytes());
        if (m.path("type").asString("").equals("error")) {
            onEvent(m);
        }
        JsonNode u = m.path("usage");
        cachedTokens = u.path("cache_read_input_tokens").asInt(0);
        inputTokens = u.path("input_tokens").asInt(0) + cachedTokens + u.path("cache_creation_input_tokens").asInt(0);
        outputTokens = u.path("output_tokens").asInt(0);
        JsonNode content = m.path("content");
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            onBlockStart(i, block); // emits text blocks whole
            switch (block.path("type").asString("")) {
                case "thinking" -> {
                    String thinking = block.path("thinking").asString("");
                    if (!thinking.isEmpty()) {
                        events.add(new ChatEvent.ReasoningDelta(thinking));
                    }
                    String sig = block.path("signature").asString("");
                    if (!sig.isEmpty()) {
                        events.add(new ChatEvent.ReasoningSignature(sig));
                    }
                }
                case "tool_use" -> {
                    String input = json.writeValueAsString(block.path("input"));
                    if (blocks.get(i) == Block.JSON_ANSWER) {
                        text(input);
                    } else if (toolIndexes.containsKey(i)) {
                        events.add(new ChatEvent.ToolCallDelta(toolIndexes.get(i), input));
                    }
                }
                default -> { }
            }
        }
        finish = stopReason(m.path("stop_reason").asString("end_turn"));
        stopSequence = m.path("stop_sequence").isString() ? m.path("stop_sequence").asString() : null;
        end();
    }

    private void onEvent(JsonNode e) {
        switch (e.path("type").asString("")) {
            case "message_start" -> {
                JsonNode u = e.path("message").path("usage");
                cachedTokens = u.path("cache_read_input_tokens").asInt(0);
                inputTokens = u.path("input_tokens").asInt(0) + cachedTokens
                        + u.path("cache_creation_input_tokens").asInt(0);
                outputTokens = u.path("output_tokens").asInt(0);
            }
            case "content_block_start" -> onBlockStart(e.path("index").asInt(), e.path("content_block"));
            case "content_block_delta" -> onDelta(e.path("index").asInt(), e.path("delta"));
            case "content_block_stop" -> {
                if (blocks.get(e.path("index").asInt()) == Block.THINKING && !signature.isEmpty()) {
                    events.add(new ChatEvent.ReasoningSignature(signature.toString()));
                    signature.setLength(0);
                }
            }
            case "message_delta" -> {
                JsonNode d = e.path("delta");
                if (d.path("stop_reason").isString()) {
                    finish = stopReason(d.path("stop_reason").asString());
                    stopSequence = d.path("stop_sequence").isString() ? d.path("stop_sequence").asString() : null;
                }
                JsonNode u = e.path("usage");
                if (u.has("output_tokens")) {
                    outputTokens = u.path("output_tokens").asInt(outputTokens);
                }
                if (u.has("input_tokens") && inputTokens == 0) {
                    inputTokens = u.path("input_tokens").asInt(0);
                }
            }
            case "message_stop" -> end();
            case "error" -> {
                close();
                JsonNode err = e.path("error");
                String type = err.path("type").asString("");
                String message = "the upstream of model " + modelId + " failed: " + err.path("message").asString(type);
                throw new InferenceException(type.equals("overloaded_error") ? InferenceException.Kind.OVERLOADED
                        : InferenceException.Kind.UPSTREAM_UNAVAILABLE, message);
            }
            default -> { } // ping and future event types
        }
    }

    private FinishReason stopReason(String reason) {
        return switch (reason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
            case "tool_use" -> jsonAnswer ? FinishReason.STOP : FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    private void onBlockStart(int index, JsonNode block) {
        switch (block.path("type").asString("")) {
            case "text" -> {
                blocks.put(index, Block.TEXT);
                String text = block.path("text").asString("");
                if (!text.isEmpty()) {
                    text(text);
                }
            }
            case "thinking" -> {
                blocks.put(index, Block.THINKING);
                signature.setLength(0);
            }
            case "tool_use" -> {
                String name = block.path("name").asString("");
                if (jsonAnswer && name.equals(AnthropicEngine.JSON_TOOL)) {
                    blocks.put(index, Block.JSON_ANSWER);
                } else {
                    blocks.put(index, Block.TOOL);
                    int toolIndex = toolIndexes.size();
                    toolIndexes.put(index, toolIndex);
                    events.add(new ChatEvent.ToolCallStart(toolIndex, block.path("id").asString(""), name));
                }
            }
            default -> blocks.put(index, Block.OTHER);
        }
    }

    private void onDelta(int index, JsonNode delta) {
        switch (delta.path("type").asString("")) {
            case "text_delta" -> text(delta.path("text").asString(""));
            case "thinking_delta" -> {
                String t = delta.path("thinking").asString("");
                outputChars += t.length();
                if (!t.isEmpty()) {
                    events.add(new ChatEvent.ReasoningDelta(t));
                }
            }
            case "signature_delta" -> signature.append(delta.path("signature").asString(""));
            case "input_json_delta" -> {
                String part = delta.path("partial_json").asString("");
                if (part.isEmpty()) {
                    return;
                }
                if (blocks.get(index) == Block.JSON_ANSWER) {
                    text(part);
                } else {
                    Integer toolIndex = toolIndexes.get(index);
                    if (toolIndex != null) {
                        outputChars += part.length();
                        events.add(new ChatEvent.ToolCallDelta(toolIndex, part));
                    }
                }
            }
            default -> { }
        }
    }

    private void text(String text) {
        if (!text.isEmpty()) {
            outputChars += text.length();
            events.add(new ChatEvent.TextDelta(text));
        }
    }

    private void end() {
        FinishReason reason = finish != null ? finish
                : !toolIndexes.isEmpty() ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        events.add(new ChatEvent.Done(reason, usageSoFar(), reason == FinishReason.STOP_SEQUENCE ? stopSequence : null));
        done = true;
        close(); // events already queued are still handed out
    }

    @Override
    public boolean ready() {
        return !events.isEmpty() || done || (!jsonBody && sse.hasBufferedEvent());
    }

    @Override
    public Usage usageSoFar() {
        int out = Math.max(outputTokens, done ? outputTokens : (outputChars + 3) / 4);
        return new Usage(inputTokens, cachedTokens, out, 0);
    }

    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }
}
