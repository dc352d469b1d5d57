package dev.tandem.inference.output;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits a model's raw output text into reasoning, answer text and tool calls, as it streams.
 *
 * <p>Reasoning is what stands between {@code <think>} and {@code </think>} (anywhere, any number of times:
 * interleaved thinking); tool calls are what stands between the markers of the model's {@link ToolCallSyntax}.
 * Text that could be the beginning of a marker is held back until the next piece decides. A tool call that does
 * not parse is given back as text, so nothing the model wrote is lost.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class ModelOutputParser {

    public static final String THINK_OPEN = "<think>";
    public static final String THINK_CLOSE = "</think>";
    private static final String NEWLINE_THINK_CLOSE = "\n" + THINK_CLOSE;

    /** What the parser found. */
    public sealed interface Piece {
        record Reasoning(String text) implements Piece {}

        record Text(String text) implements Piece {}

        record ToolCall(String name, String arguments) implements Piece {}
    }

    private enum State { TEXT, REASONING, TOOL_CALL }

    private final ToolCallSyntax syntax;
    private final Consumer<Piece> sink;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder toolBody = new StringBuilder();
    private State state;
    private boolean trimLeading;
    private int toolCalls;

    /**
     * @param syntax          how tool calls are written, {@link ToolCallSyntax#NONE} to read none
     * @param startsReasoning true when the prompt already opened a {@code <think>} block
     * @param sink            receives pieces in order
     */
    public ModelOutputParser(ToolCallSyntax syntax, boolean startsReasoning, Consumer<Piece> sink) {
        this.syntax = syntax;
        this.sink = sink;
        this.state = startsReasoning ? State.REASONING : State.TEXT;
        this.trimLeading = startsReasoning;
    }

    /** True while the model is inside a reasoning block. */
    public boolean reasoning() {
        return state == State.REASONING;
    }

    /** How many tool calls were emitted so far. */
    public int toolCalls() {
        return toolCalls;
    }

    /** Feeds the next piece of output. */
    public void accept(String text) {
        pending.append(text);
        drain(false);
    }

    /** Ends the output: everything held back is emitted. */
    public void finish() {
        drain(true);
        if (state == State.TOOL_CALL) {
            closeToolCall(true);
        }
    }

    private void drain(boolean atEnd) {
        while (!pending.isEmpty()) {
            List<String> markers = markers();
            int at = -1;
            String found = null;
            for (String m : markers) {
                int i = pending.indexOf(m);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    found = m;
                }
            }
            if (found != null) {
                emit(pending.substring(0, at));
                pending.delete(0, at + found.length());
                onMarker(found);
                continue;
            }
            int keep = atEnd ? 0 : heldBack(markers);
            emit(pending.substring(0, pending.length() - keep));
            pending.delete(0, pending.length() - keep);
            return;
        }
    }

    private List<String> markers() {
        List<String> markers = new ArrayList<>(2);
        switch (state) {
            case TEXT -> {
                markers.add(THINK_OPEN);
                if (syntax.open() != null) {
                    markers.add(syntax.open());
                }
            }
            case REASONING -> {
                // "<think>\n…\n</think>": the newline before the tag belongs to the tag, not to the reasoning
                markers.add(NEWLINE_THINK_CLOSE);
                markers.add(THINK_CLOSE);
            }
            case TOOL_CALL -> {
                if (syntax.close() != null) {
                    markers.add(syntax.close());
                }
            }
        }
        return markers;
    }

    private void onMarker(String marker) {
        switch (state) {
            case TEXT -> {
                if (marker.equals(THINK_OPEN)) {
                    state = State.REASONING;
                } else {
                    state = State.TOOL_CALL;
                    toolBody.setLength(0);
                }
                trimLeading = true;
            }
            case REASONING -> {
                state = State.TEXT;
                trimLeading = true;
            }
            case TOOL_CALL -> closeToolCall(false);
        }
    }

    private void closeToolCall(boolean atEnd) {
        String body = toolBody.toString();
        toolBody.setLength(0);
        state = State.TEXT;
        List<ToolCallSyntax.Call> calls = syntax.parse(body);
        if (calls == null) {
            String open = syntax.open() == null ? "" : syntax.open();
            String close = atEnd || syntax.close() == null ? "" : syntax.close();
            sink.accept(new Piece.Text(open + body + close));
            // given back as text, so the text after it is kept as written, newlines included
            trimLeading = false;
            return;
        }
        trimLeading = true;
        for (ToolCallSyntax.Call c : calls) {
            toolCalls++;
            sink.accept(new Piece.ToolCall(c.name(), c.arguments()));
        }
    }

    private void emit(String text) {
        if (text.isEmpty()) {
            return;
        }
        if (state == State.TOOL_CALL) {
            toolBody.append(text);
            return;
        }
        String out = text;
        if (trimLeading) {
            out = stripLeadingNewlines(out);
            if (out.isEmpty()) {
                return;
            }
            trimLeading = false;
        }
        sink.accept(state == State.REASONING ? new Piece.Reasoning(out) : new Piece.Text(out));
    }

    private static String stripLeadingNewlines(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
            i++;
        }
        return s.substring(i);
    }

    private int heldBack(List<String> markers) {
        int best = 0;
        for (String m : markers) {
            int max = Math.min(m.length() - 1, pending.length());
            for (int len = max; len > best; len--) {
                if (endsWithPrefix(pending, m, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    private static boolean endsWithPrefix(CharSequence text, String marker, int len) {
        int from = text.length() - len;
        for (int i = 0; i < len; i++) {
            if (text.charAt(from + i) != marker.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Convenience for whole texts: splits {@code text} at once. */
    public static List<Piece> parseAll(String text, ToolCallSyntax syntax, boolean startsReasoning) {
        List<Piece> out = new ArrayList<>();
        ModelOutputParser p = new ModelOutputParser(syntax, startsReasoning, out::add);
        p.accept(text);
        p.finish();
        return out;
    }
}
