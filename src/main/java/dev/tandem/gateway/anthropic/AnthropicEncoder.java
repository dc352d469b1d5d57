package dev.tandem.gateway.anthropic;

import dev.tandem.gateway.ChatResult;
import dev.tandem.gateway.StreamEncoder;
import dev.tandem.gateway.ThinkingSignatures;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.gateway.http.SseBuffer;
import dev.tandem.inference.ChatEvent;
import dev.tandem.inference.FinishReason;
import dev.tandem.inference.Part;
import dev.tandem.inference.Usage;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Encodes answers as Anthropic messages: content blocks in order (thinking with Tandem's signature, text,
 * tool_use), and the full event sequence when streaming: {@code message_start}, {@code ping},
 * {@code content_block_start/delta/stop} ({@code thinking_delta}, {@code signature_delta}, {@code text_delta},
 * {@code input_json_delta}), {@code message_delta}, {@code message_stop}.
 */
final class AnthropicEncoder {

    private final JsonWriter json;
    private final ThinkingSignatures signatures;

    AnthropicEncoder(JsonWriter json, ThinkingSignatures signatures) {
        this.json = json;
        this.signatures = signatures;
    }

    static String stopReason(FinishReason reason) {
        return switch (reason) {
            case STOP -> "end_turn";
            case STOP_SEQUENCE -> "stop_sequence";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /** @param serviceTier what {@code usage.service_tier} says: {@code standard} or {@code priority} */
    byte[] body(ChatResult result, String id, String model, boolean showThinking, String serviceTier) {
        return json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("id", id);
            g.writeStringProperty("type", "message");
            g.writeStringProperty("role", "assistant");
            g.writeStringProperty("model", model);
            g.writeArrayPropertyStart("content");
            for (Part p : result.parts()) {
                switch (p) {
                    case Part.Reasoning r -> {
                        if (showThinking) {
                            g.writeStartObject();
                            g.writeStringProperty("type", "thinking");
                            g.writeStringProperty("thinking", r.text());
                            g.writeStringProperty("signature", signatures.sign(r.text(), r.engineSignature()));
                            g.writeEndObject();
                        }
                    }
                    case Part.Text t -> {
                        g.writeStartObject();
                        g.writeStringProperty("type", "text");
                        g.writeStringProperty("text", t.text());
                        g.writeEndObject();
                    }
                    case Part.ToolCall c -> {
                        g.writeStartObject();
                        g.writeStringProperty("type", "tool_use");
                        g.writeStringProperty("id", c.id());
                        g.writeStringProperty("name", c.name());
                        g.writeName("input");
                        writeInput(g, c.arguments());
                        g.writeEndObject();
                    }
                    case Part.ToolResult ignored -> { }
                }
            }
            g.writeEndArray();
            ChatEvent.Done done = result.done();
            g.writeStringProperty("stop_reason", stopReason(done.reason()));
            if (done.stopSequence() == null) {
                g.writeNullProperty("stop_sequence");
            } else {
                g.writeStringProperty("stop_sequence", done.stopSequence());
            }
            writeUsage(g, done.usage(), serviceTier);
            g.writeEndObject();
        });
    }

    private void writeInput(JsonGenerator g, String arguments) {
        try {
            JsonNode node = json.mapper().readTree(arguments);
            if (node != null && node.isObject()) {
                g.writeTree(node);
                return;
            }
        } catch (JacksonException cutShort) {
            // arguments cut off by max_tokens: an empty input rather than invalid JSON
        }
        g.writeStartObject();
        g.writeEndObject();
    }

    private static void writeUsage(JsonGenerator g, Usage u, String serviceTier) {
        g.writeObjectPropertyStart("usage");
        g.writeNumberProperty("input_tokens", u.inputTokens() - u.cachedInputTokens());
        g.writeNumberProperty("cache_creation_input_tokens", 0);
        g.writeNumberProperty("cache_read_input_tokens", u.cachedInputTokens());
        g.writeNumberProperty("output_tokens", u.outputTokens());
        g.writeStringProperty("service_tier", serviceTier);
        g.writeEndObject();
    }

    StreamEncoder streamEncoder(String id, String model, boolean showThinking, String serviceTier) {
        return new Stream(id, model, showThinking, serviceTier);
    }

    /** The block state machine of one streamed message. */
    private final class Stream implements StreamEncoder {
        private enum Block { NONE, THINKING, TEXT, TOOL }

        private final String id;
        private final String model;
        private final boolean showThinking;
        private Block open = Block.NONE;
        private int index = -1;
        private final StringBuilder thinking = new StringBuilder();
        private @Nullable String engineSignature;
        private final SseBuffer out = new SseBuffer(json.mapper());
        private final String serviceTier;

        Stream(String id, String model, boolean showThinking, String serviceTier) {
            this.id = id;
            this.model = model;
            this.showThinking = showThinking;
            this.serviceTier = serviceTier;
        }

        @Override
        public void begin(ApiExchange exchange, Usage usageAtStart) throws IOException {
            out.event("message_start", g -> {
                g.writeStartObject();
                g.writeStringProperty("type", "message_start");
                g.writeObjectPropertyStart("message");
                g.writeStringProperty("id", id);
                g.writeStringProperty("type", "message");
                g.writeStringProperty("role", "assistant");
                g.writeStringProperty("model", model);
                g.writeArrayPropertyStart("content");
                g.writeEndArray();
                g.writeNullProperty("stop_reason");
                g.writeNullProperty("stop_sequence");
                writeUsage(g, usageAtStart, serviceTier);
                g.writeEndObject();
                g.writeEndObject();
            });
            out.event("ping", g -> {
                g.writeStartObject();
                g.writeStringProperty("type", "ping");
                g.writeEndObject();
            });
            out.sendTo(exchange);
        }

        @Override
        public void event(ApiExchange exchange, ChatEvent event) throws IOException {
            switch (event) {
                case ChatEvent.ReasoningDelta r -> {
                    if (!showThinking) {
                        return;
                    }
                    if (open != Block.THINKING) {
                        start(exchange, Block.THINKING, g -> {
                            g.writeStringProperty("type", "thinking");
                            g.writeStringProperty("thinking", "");
                            g.writeStringProperty("signature", "");
                        });
                    }
                    thinking.append(r.text());
                    delta(exchange, g -> {
                        g.writeStringProperty("type", "thinking_delta");
                        g.writeStringProperty("thinking", r.text());
                    });
                }
                case ChatEvent.ReasoningSignature s -> engineSignature = s.signature();
                case ChatEvent.TextDelta t -> {
                    if (open != Block.TEXT) {
                        start(exchange, Block.TEXT, g -> {
                            g.writeStringProperty("type", "text");
                            g.writeStringProperty("text", "");
                        });
                    }
                    delta(exchange, g -> {
                        g.writeStringProperty("type", "text_delta");
                        g.writeStringProperty("text", t.text());
                    });
                }
                case ChatEvent.ToolCallStart s -> start(exchange, Block.TOOL, g -> {
                    g.writeStringProperty("type", "tool_use");
                    g.writeStringProperty("id", s.id());
                    g.writeStringProperty("name", s.name());
                    g.writeObjectPropertyStart("input");
                    g.writeEndObject();
                });
                case ChatEvent.ToolCallDelta d -> delta(exchange, g -> {
                    g.writeStringProperty("type", "input_json_delta");
                    g.writeStringProperty("partial_json", d.arguments());
                });
                case ChatEvent.Done d -> {
                    close(exchange);
                    out.event("message_delta", g -> {
                        g.writeStartObject();
                        g.writeStringProperty("type", "message_delta");
                        g.writeObjectPropertyStart("delta");
                        g.writeStringProperty("stop_reason", stopReason(d.reason()));
                        if (d.stopSequence() == null) {
                            g.writeNullProperty("stop_sequence");
                        } else {
                            g.writeStringProperty("stop_sequence", d.stopSequence());
                        }
                        g.writeEndObject();
                        writeUsage(g, d.usage(), serviceTier);
                        g.writeEndObject();
                    });
                    out.event("message_stop", g -> {
                        g.writeStartObject();
                        g.writeStringProperty("type", "message_stop");
                        g.writeEndObject();
                    });
                }
            }
            out.sendTo(exchange);
        }

        private void start(ApiExchange exchange, Block kind, java.util.function.Consumer<JsonGenerator> block)
                throws IOException {
            close(exchange);
            open = kind;
            int i = ++index;
            out.event("content_block_start", g -> {
                g.writeStartObject();
                g.writeStringProperty("type", "content_block_start");
                g.writeNumberProperty("index", i);
                g.writeObjectPropertyStart("content_block");
                block.accept(g);
                g.writeEndObject();
                g.writeEndObject();
            });
        }

        private void delta(ApiExchange exchange, java.util.function.Consumer<JsonGenerator> delta) throws IOException {
            int i = index;
            out.event("content_block_delta", g -> {
                g.writeStartObject();
                g.writeStringProperty("type", "content_block_delta");
                g.writeNumberProperty("index", i);
                g.writeObjectPropertyStart("delta");
                delta.accept(g);
                g.writeEndObject();
                g.writeEndObject();
            });
        }

        private void close(ApiExchange exchange) throws IOException {
            if (open == Block.NONE) {
                return;
            }
            if (open == Block.THINKING) {
                String signature = signatures.sign(thinking.toString(), engineSignature);
                thinking.setLength(0);
                engineSignature = null;
                delta(exchange, g -> {
                    g.writeStringProperty("type", "signature_delta");
                    g.writeStringProperty("signature", signature);
                });
            }
            int i = index;
            out.event("content_block_stop", g -> {
                g.writeStartObject();
                g.writeStringProperty("type", "content_block_stop");
                g.writeNumberProperty("index", i);
                g.writeEndObject();
            });
            open = Block.NONE;
        }

        @Override
        public void end(ApiExchange exchange) {
            // message_stop was written with the Done event
        }
    }
}
