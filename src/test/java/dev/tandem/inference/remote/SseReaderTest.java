package dev.tandem.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {

    private static final int BUFFER = 8192;

    private static List<SseReader.Event> readAll(InputStream in) throws IOException {
        SseReader reader = new SseReader(in);
        List<SseReader.Event> events = new ArrayList<>();
        for (SseReader.Event e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        assertThat(reader.next()).as("the end stays the end").isNull();
        return events;
    }

    private static List<SseReader.Event> readAll(String body) throws IOException {
        return readAll(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Hands out at most {@code max} bytes per read, as a network stream may. */
    private static InputStream trickle(byte[] bytes, int max) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, max));
            }
        };
    }

    @Test
    void readsOneEventPerBlankLine() throws IOException {
        assertThat(readAll("data: {\"a\":1}\n\ndata: {\"a\":2}\n\n")).containsExactly(
                new SseReader.Event(null, "{\"a\":1}"),
                new SseReader.Event(null, "{\"a\":2}"));
    }

    @Test
    void joinsMultipleDataLinesWithNewlines() throws IOException {
        assertThat(readAll("data: first\ndata: second\ndata:\ndata: fourth\n\n"))
                .containsExactly(new SseReader.Event(null, "first\nsecond\n\nfourth"));
    }

    @Test
    void readsEventNamesAndForgetsThemAfterTheEvent() throws IOException {
        String body = """
                event: message_start
                data: {"type":"message_start"}

                data: unnamed

                event: ping
                data: {}

                """;

        assertThat(readAll(body)).containsExactly(
                new SseReader.Event("message_start", "{\"type\":\"message_start\"}"),
                new SseReader.Event(null, "unnamed"),
                new SseReader.Event("ping", "{}"));
    }

    @Test
    void dropsAnEventNameThatCameWithoutData() throws IOException {
        assertThat(readAll("event: orphan\n\ndata: x\n\n")).containsExactly(new SseReader.Event(null, "x"));
    }

    @Test
    void skipsCommentsAndFieldsItDoesNotUse() throws IOException {
        String body = ": keep-alive\n\n: OPENROUTER PROCESSING\nid: 7\nretry: 1000\ndata: payload\n: inside\n\n";

        assertThat(readAll(body)).containsExactly(new SseReader.Event(null, "payload"));
    }

    @Test
    void removesOnlyOneSpaceAfterTheColon() throws IOException {
        assertThat(readAll("data:tight\n\ndata:  two spaces\n\ndata\n\n")).containsExactly(
                new SseReader.Event(null, "tight"),
                new SseReader.Event(null, " two spaces"),
                new SseReader.Event(null, ""));
    }

    @Test
    void keepsColonsInsideTheValue() throws IOException {
        assertThat(readAll("data: {\"url\":\"http://x\"}\n\n"))
                .containsExactly(new SseReader.Event(null, "{\"url\":\"http://x\"}"));
    }

    @Test
    void readsCrlfLineEndings() throws IOException {
        assertThat(readAll("event: delta\r\ndata: a\r\ndata: b\r\n\r\ndata: [DONE]\r\n\r\n")).containsExactly(
                new SseReader.Event("delta", "a\nb"),
                new SseReader.Event(null, "[DONE]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"data: last", "data: last\n", "data: last\r\n"})
    void returnsTheLastEventEvenWithoutATrailingBlankLine(String body) throws IOException {
        assertThat(readAll("data: first\n\n" + body)).containsExactly(
                new SseReader.Event(null, "first"),
                new SseReader.Event(null, "last"));
    }

    @Test
    void returnsNoEventForAnEmptyStreamOrOneWithOnlyComments() throws IOException {
        assertThat(readAll("")).isEmpty();
        assertThat(readAll(": hello\n\n\n: bye")).isEmpty();
    }

    @Test
    void decodesUtf8CharactersSplitAcrossTheReadBuffer() throws IOException {
        // "data: " + padding puts the first byte of "é" at the last buffer position, the second in the next fill;
        // the emoji later straddles the second boundary the same way with its four bytes.
        String first = "data: " + "a".repeat(BUFFER - "data: ".length() - 1) + "é tail";
        byte[] firstBytes = (first + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(firstBytes[BUFFER - 1]).as("the split falls inside é").isEqualTo((byte) 0xC3);
        String secondPrefix = "data: ";
        int pad = 2 * BUFFER - firstBytes.length - secondPrefix.length() - 2;
        String second = secondPrefix + "b".repeat(pad) + "😀 end";
        byte[] body = (first + "\n" + second + "\n\n").getBytes(StandardCharsets.UTF_8);
        assertThat(body[2 * BUFFER - 2]).as("the split falls inside the emoji").isEqualTo((byte) 0xF0);

        List<SseReader.Event> events = readAll(new ByteArrayInputStream(body));

        assertThat(events).containsExactly(new SseReader.Event(null,
                first.substring("data: ".length()) + "\n" + second.substring(secondPrefix.length())));
    }

    @Test
    void readsTheSameEventsWhenTheStreamArrivesAByteAtATime() throws IOException {
        String body = "event: a\r\ndata: héllo ✓ 😀\r\n\r\n: c\ndata: x\ndata: y\n\ndata: end";

        assertThat(readAll(trickle(body.getBytes(StandardCharsets.UTF_8), 1)))
                .isEqualTo(readAll(body))
                .containsExactly(
                        new SseReader.Event("a", "héllo ✓ 😀"),
                        new SseReader.Event(null, "x\ny"),
                        new SseReader.Event(null, "end"));
    }

    @Test
    void readsLinesLongerThanTheReadBuffer() throws IOException {
        String payload = "{\"text\":\"" + "ünïcödé ".repeat(3 * BUFFER / 8) + "\"}";

        assertThat(readAll(trickle(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8), 1000)))
                .containsExactly(new SseReader.Event(null, payload));
    }
}
