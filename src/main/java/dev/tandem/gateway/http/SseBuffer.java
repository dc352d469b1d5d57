package dev.tandem.gateway.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * A reusable buffer that SSE events are written into, then sent with one write: the allocation-light path for
 * streamed answers, where one response has hundreds of events. One per stream; not thread-safe.
 */
public final class SseBuffer {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = {'\n', '\n'};

    /** ByteArrayOutputStream with its array exposed, to write it out without a copy. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    private final ObjectMapper json;
    private final Bytes out = new Bytes(2048);

    public SseBuffer(ObjectMapper json) {
        this.json = json;
    }

    /** Appends one event: an optional {@code event:} line and a {@code data:} line holding the JSON. */
    public SseBuffer event(@Nullable String name, Consumer<JsonGenerator> body) {
        if (name != null) {
            out.writeBytes(("event: " + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(DATA);
        json(body);
        out.writeBytes(END);
        return this;
    }

    /** Appends bytes as they are. */
    public SseBuffer raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** Appends the JSON {@code body} writes. */
    public SseBuffer json(Consumer<JsonGenerator> body) {
        try (JsonGenerator g = json.createGenerator(out)) {
            body.accept(g);
        }
        return this;
    }

    /** Writes what was appended to the exchange (unflushed) and empties the buffer. */
    public void sendTo(ApiExchange exchange) throws IOException {
        if (out.size() > 0) {
            exchange.write(out.array(), 0, out.size());
            out.reset();
        }
    }
}
