package dev.tandem.inference.remote;

import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.ChatStream;
import dev.tandem.inference.FinishReason;
import dev.tandem.inference.InferenceException;
import dev.tandem.inference.Usage;
import dev.tandem.inference.engine.ToolCallIds;
import dev.tandem.inference.output.ModelOutputParser;
import dev.tandem.inference.output.ToolCallSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads an OpenAI-format chat completion stream into canonical events. Tolerates what real servers do
 * differently: reasoning in {@code reasoning_content}, {@code reasoning}, MiniMax {@code reasoning_details}
 * (cumulative or incremental) or inline {@code <think>} tags; usage in a last chunk or missing; a JSON body instead
 * of a stream; a MiniMax {@code base_resp} error inside a 200.
 */
final class OpenAiChatStream implements ChatStream {

    private final String modelId;
    private final InputStream body;
    private final SseReader sse;
    private final ObjectMapper json;
    private final ArrayDeque<ChatEvent> events = new ArrayDeque<>();
    private final ModelOutputParser thinkTags;
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();
    private final StringBuilder reasoningDetails = new StringBuilder();
    private final boolean jsonBody;
    private @Nullable FinishReason finish;
    private @Nullable Usage usage;
    private int textChars;
    private boolean done;
    private volatile boolean closed;

    OpenAiChatStream(String modelId, RemoteHttp.Reply response, ObjectMapper json) {
        this.modelId = modelId;
        this.body = response.body();
        this.sse = new SseReader(body);
        this.json = json;
        this.thinkTags = new ModelOutputParser(ToolCallSyntax.NONE, false, this::onPiece);
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
                    readWholeBody();
                } else {
                    readEvent();
                }
            } catch (IOException e) {
                if (closed) {
                    return null; // closed by the consumer's side while reading
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

    private void readEvent() throws IOException {
        SseReader.Event e = sse.next();
        if (e == null && finish == null) {
            close();
            throw new InferenceException(InferenceException.Kind.UPSTREAM_UNAVAILABLE,
                    "the upstream of model " + modelId + " ended its stream before finishing the answer");
        }
        if (e == null || e.isDone()) {
            end();
            return;
        }
        if (e.isBlank()) {
            return;
        }
        onChunk(e.bytes());
    }

    private void readWholeBody() throws IOException {
        JsonNode root = json.readTree(body.readAllBytes());
        checkErrors(root);
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        onDelta(message);
        JsonNode calls = message.path("tool_calls");
        if (calls.isArray()) {
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                onToolDelta(i, c.path("id").asString(""), c.path("function").path("name").asString(""),
                        c.path("function").path("arguments").asString(""));
            }
        }
        onFinish(choice.path("finish_reason"));
        onUsage(root.path("usage"));
        end();
    }

    /**
     * One streamed chunk, read with the streaming parser: the hot fields ({@code content}, finish reason) are
     * taken as they come, only rarer objects (tool calls, usage, errors) become trees.
     */
    private void onChunk(byte[] data) {
        try (JsonParser p = json.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "choices" -> {
                        if (value == JsonToken.START_ARRAY) {
                            choices(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "usage" -> {
                        if (value == JsonToken.START_OBJECT) {
                            onUsage(p.readValueAsTree());
                        }
                    }
                    case "error", "base_resp" -> {
                        if (value == JsonToken.START_OBJECT) {
                            JsonNode tree = p.readValueAsTree();
                            checkErrors(json.createObjectNode().set(name, tree));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
    }

    private void choices(JsonParser p) {
        boolean first = true;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            if (!first) {
                p.skipChildren();
                continue;
            }
            first = false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("delta") && value == JsonToken.START_OBJECT) {
                    delta(p);
                } else if (name.equals("finish_reason") && value == JsonToken.VALUE_STRING) {
                    onFinish(json.getNodeFactory().stringNode(p.getString()));
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    private void delta(JsonParser p) {
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "content" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        String content = p.getString();
                        if (!content.isEmpty()) {
                            textChars += content.length();
                            thinkTags.accept(content);
                        }
                    }
                }
                case "reasoning_content", "reasoning" -> {
                    if (value == JsonToken.VALUE_STRING && !p.getString().isEmpty()) {
                        textChars += p.getString().length();
                        events.add(new ChatEvent.ReasoningDelta(p.getString()));
                    }
                }
                case "reasoning_details" -> {
                    if (value == JsonToken.START_ARRAY) {
                        for (JsonNode d : (JsonNode) p.readValueAsTree()) {
                            String piece = newReasoningDetail(d.path("text").asString(""));
                            if (!piece.isEmpty()) {
                                events.add(new ChatEvent.ReasoningDelta(piece));
                            }
                        }
                    }
                }
                case "tool_calls" -> {
                    if (value == JsonToken.START_ARRAY) {
                        for (JsonNode c : (JsonNode) p.readValueAsTree()) {
                            JsonNode fn = c.path("function");
                            onToolDelta(c.path("index").asInt(0), c.path("id").asString(""),
                                    fn.path("name").asString(""), fn.path("arguments").asString(""));
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private void checkErrors(JsonNode node) {
        JsonNode error = node.path("error");
        if (error.isObject()) {
            close();
            throw new InferenceException(InferenceException.Kind.UPSTREAM_UNAVAILABLE,
                    "the upstream of model " + modelId + " failed: " + error.path("message").asString("unknown error"));
        }
        JsonNode base = node.path("base_resp");
        long code = base.path("status_code").asLong(0);
        if (code != 0) {
            close();
            throw UpstreamErrors.fromMiniMax(modelId, code, base.path("status_msg").asString(""));
        }
    }

    private void onDelta(JsonNode delta) {
        String reasoning = delta.path("reasoning_content").asString("");
        if (reasoning.isEmpty()) {
            reasoning = delta.path("reasoning").asString("");
        }
        if (!reasoning.isEmpty()) {
            textChars += reasoning.length();
            events.add(new ChatEvent.ReasoningDelta(reasoning));
        }
        JsonNode details = delta.path("reasoning_details");
        if (details.isArray()) {
            for (JsonNode d : details) {
                String piece = newReasoningDetail(d.path("text").asString(""));
                if (!piece.isEmpty()) {
                    events.add(new ChatEvent.ReasoningDelta(piece));
                }
            }
        }
        String content = delta.path("content").asString("");
        if (!content.isEmpty()) {
            textChars += content.length();
            thinkTags.accept(content);
        }
    }

    /**
     * MiniMax documents {@code reasoning_details} text as cumulative snapshots but some models send increments:
     * a snapshot that extends what we have yields its new suffix; anything else is an increment.
     */
    private String newReasoningDetail(String text) {
        if (text.isEmpty()) {
            return "";
        }
        if (!reasoningDetails.isEmpty() && text.startsWith(reasoningDetails.toString())) {
            String suffix = text.substring(reasoningDetails.length());
            reasoningDetails.setLength(0);
            reasoningDetails.append(text);
            return suffix;
        }
        reasoningDetails.append(text);
        return text;
    }

    private void onToolDelta(int upstreamIndex, String id, String name, String arguments) {
        Integer index = toolIndexes.get(upstreamIndex);
        if (index == null) {
            index = toolIndexes.size();
            toolIndexes.put(upstreamIndex, index);
            events.add(new ChatEvent.ToolCallStart(index, id.isEmpty() ? ToolCallIds.next() : id, name));
        }
        if (!arguments.isEmpty()) {
            events.add(new ChatEvent.ToolCallDelta(index, arguments));
        }
    }

    private void onFinish(JsonNode reason) {
        if (!reason.isString()) {
            return;
        }
        finish = switch (reason.asString()) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    private void onUsage(JsonNode u) {
        if (!u.isObject()) {
            return;
        }
        int completion = u.path("completion_tokens").asInt(0);
        usage = new Usage(u.path("prompt_tokens").asInt(0),
                u.path("prompt_tokens_details").path("cached_tokens").asInt(0), completion,
                Math.min(completion, u.path("completion_tokens_details").path("reasoning_tokens").asInt(0)));
    }

    private void onPiece(ModelOutputParser.Piece piece) {
        switch (piece) {
            case ModelOutputParser.Piece.Reasoning r -> events.add(new ChatEvent.ReasoningDelta(r.text()));
            case ModelOutputParser.Piece.Text t -> events.add(new ChatEvent.TextDelta(t.text()));
            case ModelOutputParser.Piece.ToolCall c -> { } // structured tool calls come in their own field
        }
    }

    private void end() {
        thinkTags.finish();
        FinishReason reason = finish != null ? finish
                : !toolIndexes.isEmpty() ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        events.add(new ChatEvent.Done(reason, usageSoFar(), null));
        done = true;
        closeBody();
    }

    @Override
    public boolean ready() {
        return !events.isEmpty() || done || (!jsonBody && sse.hasBufferedEvent());
    }

    @Override
    public Usage usageSoFar() {
        if (usage != null) {
            return usage;
        }
        // The server sent no usage (yet): estimate the output, reasoning included, at four characters per token.
        return new Usage(0, 0, (textChars + reasoningDetails.length() + 3) / 4, 0);
    }

    @Override
    public void close() {
        closed = true;
        closeBody();
    }

    private void closeBody() {
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }
}
