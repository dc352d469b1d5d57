package dev.tandem.inference;

import dev.tandem.inference.output.ModelOutputParser;
import dev.tandem.inference.output.ToolCallSyntax;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code <think>…</think>} blocks out of assistant text that a client sends back, so earlier reasoning
 * re-enters the prompt as reasoning rather than as answer text (MiniMax's inline-thinking format).
 */
public final class ThinkTags {

    private ThinkTags() {
    }

    /** True when {@code text} contains a think tag at all (the cheap test before {@link #split}). */
    public static boolean present(String text) {
        return text.contains(ModelOutputParser.THINK_OPEN) || text.contains(ModelOutputParser.THINK_CLOSE);
    }

    /** {@code text} as reasoning and text parts, in order; text without tags is one text part. */
    public static List<Part> split(String text) {
        List<Part> parts = new ArrayList<>();
        for (ModelOutputParser.Piece p : ModelOutputParser.parseAll(text, ToolCallSyntax.NONE, false)) {
            switch (p) {
                case ModelOutputParser.Piece.Reasoning r -> parts.add(new Part.Reasoning(r.text().strip(), null));
                case ModelOutputParser.Piece.Text t -> parts.add(new Part.Text(t.text()));
                case ModelOutputParser.Piece.ToolCall c -> { }
            }
        }
        return parts;
    }
}
