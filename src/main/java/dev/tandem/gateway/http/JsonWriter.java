package dev.tandem.gateway.http;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/** Writes JSON with Jackson's streaming generator straight into bytes: the fast path for every response. */
public final class JsonWriter {

    private static final byte[] DATA = "data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ObjectMapper json;

    public JsonWriter(ObjectMapper json) {
        this.json = json;
    }

    public byte[] bytes(Consumer<JsonGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            body.accept(g);
        }
        return out.toByteArray();
    }

    /** One SSE event: optional {@code event:} line, a {@code data:} line with the JSON, a blank line. */
    public byte[] sse(@org.jspecify.annotations.Nullable String event, Consumer<JsonGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (event != null) {
            out.writeBytes(("event: " + event + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.writeBytes(DATA);
        try (JsonGenerator g = json.createGenerator(out)) {
            body.accept(g);
        }
        out.write('\n');
        out.write('\n');
        return out.toByteArray();
    }

    public ObjectMapper mapper() {
        return json;
    }
}
