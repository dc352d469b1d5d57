package dev.tandem.gateway.openai;

import dev.tandem.gateway.ChatResult;
import dev.tandem.gateway.StreamEncoder;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.gateway.http.SseBuffer;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.FinishReason;
import dev.tandem.inference.Part;
import dev.tandem.inference.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * Encodes answers in the OpenAI chat completions format, optionally with MiniMax's envelope ({@code base_resp}
 * and its moderation flags) for {@code /v1/text/chatcompletion_v2}.
 */
public final class OpenAiEncoder {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final JsonWriter json;
    private final ReasoningOutput reasoning;
    private final boolean minimax;

    public OpenAiEncoder(JsonWriter json, ReasoningOutput reasoning, boolean minimax) {
        this.json = json;
        this.reasoning = reasoning;
        this.minimax = minimax;
    }

    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case STOP, STOP_SEQUENCE -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    /** The whole answer as one {@code chat.completion} body. */
    /** @param serviceTier the tier the call was served at ({@code service_tier}); null: not said (MiniMax) */
    public byte[] body(ChatResult result, String id, String model, long created, @Nullable String serviceTier) {
        return json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("id", id);
            g.writeStringProperty("object", "chat.completion");
            g.writeNumberProperty("created", created);
            g.writeStringProperty("model", model);
            if (serviceTier != null) {
                g.writeStringProperty("service_tier", serviceTier);
            }
            g.writeArrayPropertyStart("choices");
            g.writeStartObject();
            g.writeNumberProperty("index", 0);
            g.writeObjectPropertyStart("message");
            g.writeStringProperty("role", "assistant");
            writeContent(g, result);
            List<Part.ToolCall> calls = result.message().toolCalls();
            if (!calls.isEmpty()) {
                g.writeArrayPropertyStart("tool_calls");
                for (Part.ToolCall c : calls) {
                    g.writeStartObject();
                    g.writeStringProperty("id", c.id());
                    g.writeStringProperty("type", "function");
                    g.writeObjectPropertyStart("function");
                    g.writeStringProperty("name", c.name());
                    g.writeStringProperty("arguments", c.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (minimax) {
                g.writeStringProperty("name", "MiniMax AI");
                g.writeStringProperty("audio_content", "");
            } else {
                g.writeNullProperty("refusal");
            }
            g.writeEndObject();
            g.writeNullProperty("logprobs");
            g.writeStringProperty("finish_reason", finishReason(result.finishReason()));
            g.writeEndObject();
            g.writeEndArray();
            writeUsage(g, result.usage());
            if (minimax) {
                writeMiniMaxEnvelope(g);
            }
            g.writeEndObject();
        });
    }

    private void writeContent(JsonGenerator g, ChatResult result) {
        String text = result.message().text();
        String thought = result.message().reasoning();
        switch (reasoning) {
            case THINK_TAGS -> {
                StringBuilder sb = new StringBuilder();
                for (Part p : result.parts()) {
                    if (p instanceof Part.Reasoning r) {
                        sb.append("<think>\n").append(r.text()).append("\n</think>\n\n");
                    } else if (p instanceof Part.Text t) {
                        sb.append(t.text());
                    }
                }
                writeText(g, sb.toString(), result);
            }
            case REASONING_CONTENT -> {
                writeText(g, text, result);
                if (!thought.isEmpty()) {
                    g.writeStringProperty("reasoning_content", thought);
                }
            }
            case REASONING_DETAILS -> {
                writeText(g, text, result);
                if (!thought.isEmpty()) {
                    g.writeArrayPropertyStart("reasoning_details");
                    writeReasoningDetail(g, thought);
                    g.writeEndArray();
                }
            }
        }
    }

    private static void writeText(JsonGenerator g, String text, ChatResult result) {
        if (text.isEmpty() && !result.message().toolCalls().isEmpty()) {
            g.writeNullProperty("content");
        } else {
            g.writeStringProperty("content", text);
        }
    }

    private static void writeReasoningDetail(JsonGenerator g, String text) {
        g.writeStartObject();
        g.writeStringProperty("type", "reasoning.text");
        g.writeStringProperty("id", "reasoning-text-1");
        g.writeStringProperty("format", "MiniMax-response-v1");
        g.writeNumberProperty("index", 0);
        g.writeStringProperty("text", text);
        g.writeEndObject();
    }

    private void writeUsage(JsonGenerator g, Usage u) {
        g.writeObjectPropertyStart("usage");
        g.writeNumberProperty("prompt_tokens", u.inputTokens());
        g.writeNumberProperty("completion_tokens", u.outputTokens());
        g.writeNumberProperty("total_tokens", u.totalTokens());
        if (minimax) {
            g.writeNumberProperty("total_characters", 0);
        }
        g.writeObjectPropertyStart("prompt_tokens_details");
        g.writeNumberProperty("cached_tokens", u.cachedInputTokens());
        g.writeEndObject();
        g.writeObjectPropertyStart("completion_tokens_details");
        g.writeNumberProperty("reasoning_tokens", u.reasoningTokens());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeMiniMaxEnvelope(JsonGenerator g) {
        g.writeBooleanProperty("input_sensitive", false);
        g.writeBooleanProperty("output_sensitive", false);
        g.writeObjectPropertyStart("base_resp");
        g.writeNumberProperty("status_code", 0);
        g.writeStringProperty("status_msg", "success");
        g.writeEndObject();
    }

    /** A stream encoder for one response. */
    public StreamEncoder streamEncoder(String id, String model, long created, boolean includeUsage,
            @Nullable String serviceTier) {
        return new Stream(id, model, created, includeUsage || minimax, serviceTier);
    }

    /** Streams {@code chat.completion.chunk}s; the constant start of every chunk is rendered once. */
    private final class Stream implements StreamEncoder {
        private final byte[] prefix;
        private final String id;
        private final String model;
        private final long created;
        private final boolean includeUsage;
        private final @Nullable String serviceTier;
        private final SseBuffer out = new SseBuffer(json.mapper());
        private boolean thinkOpen;

        Stream(String id, String model, long created, boolean includeUsage, @Nullable String serviceTier) {
            this.id = id;
            this.model = model;
            this.created = created;
            this.includeUsage = includeUsage;
            this.serviceTier = serviceTier;
            byte[] head = json.bytes(g -> {
                g.writeStartObject();
                writeHead(g);
                g.writeEndObject();
            });
            // "data: " + the object without its closing brace + ,"choices":[{"index":0,"delta":
            String s = "data: " + new String(head, 0, head.length - 1, StandardCharsets.UTF_8)
                    + ",\"choices\":[{\"index\":0,\"delta\":";
            this.prefix = s.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void begin(ApiExchange exchange, Usage usageAtStart) throws IOException {
            chunk(g -> {
                g.writeStringProperty("role", "assistant");
                g.writeStringProperty("content", "");
            }, null);
            out.sendTo(exchange);
        }

        @Override
        public void event(ApiExchange exchange, ChatEvent event) throws IOException {
            switch (event) {
                case ChatEvent.ReasoningDelta r -> reasoningChunk(r.text());
                case ChatEvent.TextDelta t -> {
                    String content = thinkOpen ? "\n</think>\n\n" + t.text() : t.text();
                    thinkOpen = false;
                    chunk(g -> g.writeStringProperty("content", content), null);
                }
                case ChatEvent.ToolCallStart s -> {
                    closeThink();
                    chunk(g -> {
                        g.writeArrayPropertyStart("tool_calls");
                        g.writeStartObject();
                        g.writeNumberProperty("index", s.index());
                        g.writeStringProperty("id", s.id());
                        g.writeStringProperty("type", "function");
                        g.writeObjectPropertyStart("function");
                        g.writeStringProperty("name", s.name());
                        g.writeStringProperty("arguments", "");
                        g.writeEndObject();
                        g.writeEndObject();
                        g.writeEndArray();
                    }, null);
                }
                case ChatEvent.ToolCallDelta d -> chunk(g -> {
                    g.writeArrayPropertyStart("tool_calls");
                    g.writeStartObject();
                    g.writeNumberProperty("index", d.index());
                    g.writeObjectPropertyStart("function");
                    g.writeStringProperty("arguments", d.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                    g.writeEndArray();
                }, null);
                case ChatEvent.ReasoningSignature s -> { }
                case ChatEvent.Done d -> {
                    closeThink();
                    chunk(g -> { }, finishReason(d.reason()));
                    if (includeUsage) {
                        out.event(null, g -> {
                            g.writeStartObject();
                            writeHead(g);
                            g.writeArrayPropertyStart("choices");
                            g.writeEndArray();
                            writeUsage(g, d.usage());
                            if (minimax) {
                                writeMiniMaxEnvelope(g);
                            }
                            g.writeEndObject();
                        });
                    }
                }
            }
            out.sendTo(exchange);
        }

        private void writeHead(JsonGenerator g) {
            g.writeStringProperty("id", id);
            g.writeStringProperty("object", "chat.completion.chunk");
            g.writeNumberProperty("created", created);
            g.writeStringProperty("model", model);
            if (serviceTier != null) {
                g.writeStringProperty("service_tier", serviceTier);
            }
        }

        private void reasoningChunk(String text) {
            switch (reasoning) {
                case REASONING_CONTENT -> chunk(g -> g.writeStringProperty("reasoning_content", text), null);
                case REASONING_DETAILS -> chunk(g -> {
                    g.writeArrayPropertyStart("reasoning_details");
                    writeReasoningDetail(g, text);
                    g.writeEndArray();
                }, null);
                case THINK_TAGS -> {
                    String content = thinkOpen ? text : "<think>\n" + text;
                    thinkOpen = true;
                    chunk(g -> g.writeStringProperty("content", content), null);
                }
            }
        }

        private void closeThink() {
            if (thinkOpen) {
                thinkOpen = false;
                chunk(g -> g.writeStringProperty("content", "\n</think>\n\n"), null);
            }
        }

        /** Appends one chunk: the fixed head, the delta object, the finish reason. */
        private void chunk(java.util.function.Consumer<JsonGenerator> delta,
                @org.jspecify.annotations.Nullable String finish) {
            out.raw(prefix).json(g -> {
                g.writeStartObject();
                delta.accept(g);
                g.writeEndObject();
            });
            out.raw(finish == null ? NULL_FINISH
                    : (",\"finish_reason\":\"" + finish + "\"}]}\n\n").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void end(ApiExchange exchange) throws IOException {
            out.raw(DONE).sendTo(exchange);
        }
    }

    private static final byte[] NULL_FINISH = ",\"finish_reason\":null}]}\n\n".getBytes(StandardCharsets.US_ASCII);
}
