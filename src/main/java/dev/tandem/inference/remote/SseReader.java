package dev.tandem.inference.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads Server-Sent Events from an upstream response body: {@code event:} and {@code data:} lines up to a blank
 * line make one event; comments ({@code :}) are skipped. Not thread-safe.
 */
final class SseReader {

    /** One event; {@code event} is null when the server named none. */
    record Event(@Nullable String event, String data) {
    }

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private final ByteLine line = new ByteLine();

    SseReader(InputStream in) {
        this.in = in;
    }

    /** The next event, or null at the end of the stream. */
    @Nullable Event next() throws IOException {
        String event = null;
        StringBuilder data = null;
        while (true) {
            String l = readLine();
            if (l == null) {
                return data == null ? null : new Event(event, data.toString());
            }
            if (l.isEmpty()) {
                if (data != null) {
                    return new Event(event, data.toString());
                }
                event = null;
                continue;
            }
            if (l.charAt(0) == ':') {
                continue;
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1 < l.length() && l.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> { } // id, retry: not used upstream
            }
        }
    }

    private @Nullable String readLine() throws IOException {
        line.reset();
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return line.size() == 0 ? null : line.text();
                }
            }
            byte b = buffer[pos++];
            if (b == '\n') {
                return line.text();
            }
            if (b != '\r') {
                line.add(b);
            }
        }
    }

    /** A growable byte buffer for one line. */
    private static final class ByteLine {
        private byte[] bytes = new byte[256];
        private int size;

        void reset() {
            size = 0;
        }

        int size() {
            return size;
        }

        void add(byte b) {
            if (size == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = b;
        }

        String text() {
            return new String(bytes, 0, size, StandardCharsets.UTF_8);
        }
    }
}
