package dev.tandem.inference.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads Server-Sent Events from an upstream response body: {@code event:} and {@code data:} lines up to a blank
 * line make one event; comments ({@code :}) are skipped. Works on bytes: an event's data is handed out as UTF-8
 * bytes, ready for a JSON parser, without a detour through {@code String}. Not thread-safe.
 */
final class SseReader {

    /** One event; {@code event} is null when the server named none; {@code bytes} is the UTF-8 data. */
    record Event(@Nullable String event, byte[] bytes) {

        Event(@Nullable String event, String data) {
            this(event, data.getBytes(StandardCharsets.UTF_8));
        }

        String data() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        boolean isDone() {
            return bytes.length == 6 && bytes[0] == '[' && data().equals("[DONE]");
        }

        boolean isBlank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Event e && java.util.Objects.equals(event, e.event) && Arrays.equals(bytes, e.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(event) * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Event[event=" + event + ", data=" + data() + "]";
        }
    }

    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};

    private final InputStream in;
    private final byte[] buffer = new byte[16384];
    private int pos;
    private int limit;
    private final ByteLine line = new ByteLine();
    // the current line: a range of either the read buffer or the line builder
    private byte[] lineBytes = buffer;
    private int lineFrom;
    private int lineTo;

    SseReader(InputStream in) {
        this.in = in;
    }

    /** True when a whole event is already buffered, so {@link #next()} will not wait for the network. */
    boolean hasBufferedEvent() {
        for (int i = pos; i < limit - 1; i++) {
            if (buffer[i] == '\n' && (buffer[i + 1] == '\n' || (buffer[i + 1] == '\r' && i + 2 < limit
                    && buffer[i + 2] == '\n'))) {
                return true;
            }
        }
        return false;
    }

    /** The next event, or null at the end of the stream. */
    @Nullable Event next() throws IOException {
        String event = null;
        byte[] data = null;
        while (true) {
            if (!nextLine()) {
                return data == null ? null : new Event(event, data);
            }
            if (lineFrom == lineTo) {
                if (data != null) {
                    return new Event(event, data);
                }
                event = null;
                continue;
            }
            if (lineBytes[lineFrom] == ':') {
                continue;
            }
            int colon = indexOf(lineBytes, lineFrom, lineTo, (byte) ':');
            int nameEnd = colon < 0 ? lineTo : colon;
            int valueFrom = colon < 0 ? lineTo : colon + 1;
            if (valueFrom < lineTo && lineBytes[valueFrom] == ' ') {
                valueFrom++;
            }
            if (is(DATA, nameEnd)) {
                byte[] value = Arrays.copyOfRange(lineBytes, valueFrom, lineTo);
                if (data == null) {
                    data = value;
                } else {
                    byte[] joined = Arrays.copyOf(data, data.length + 1 + value.length);
                    joined[data.length] = '\n';
                    System.arraycopy(value, 0, joined, data.length + 1, value.length);
                    data = joined;
                }
            } else if (is(EVENT, nameEnd)) {
                event = new String(lineBytes, valueFrom, lineTo - valueFrom, StandardCharsets.UTF_8);
            }
            // id and retry are not used upstream
        }
    }

    private boolean is(byte[] name, int nameEnd) {
        return nameEnd - lineFrom == name.length && Arrays.equals(lineBytes, lineFrom, nameEnd, name, 0, name.length);
    }

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Reads the next line into {@code lineBytes[lineFrom, lineTo)}, without its line ending; false at the end. */
    private boolean nextLine() throws IOException {
        line.reset();
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (line.size() == 0) {
                        return false;
                    }
                    return useBuilder();
                }
            }
            int nl = indexOf(buffer, pos, limit, (byte) '\n');
            if (nl >= 0 && line.size() == 0 && indexOf(buffer, pos, nl - 1 < pos ? pos : nl - 1, (byte) '\r') < 0) {
                // the whole line is in the buffer: hand out the range itself
                lineBytes = buffer;
                lineFrom = pos;
                lineTo = nl > pos && buffer[nl - 1] == '\r' ? nl - 1 : nl;
                pos = nl + 1;
                return true;
            }
            int end = nl < 0 ? limit : nl;
            line.add(buffer, pos, end);
            pos = nl < 0 ? limit : nl + 1;
            if (nl >= 0) {
                return useBuilder();
            }
        }
    }

    private boolean useBuilder() {
        lineBytes = line.bytes;
        lineFrom = 0;
        lineTo = line.size;
        return true;
    }

    /** A growable byte buffer for a line that spans reads or holds carriage returns. */
    private static final class ByteLine {
        private byte[] bytes = new byte[256];
        private int size;

        void reset() {
            size = 0;
        }

        int size() {
            return size;
        }

        /** Appends {@code src[from, to)} without carriage returns (SSE lines may end in CRLF). */
        void add(byte[] src, int from, int to) {
            int n = to - from;
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
            for (int i = from; i < to; i++) {
                if (src[i] != '\r') {
                    bytes[size++] = src[i];
                }
            }
        }
    }
}
