package dev.tandem.inference.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.inference.output.ModelOutputParser.Piece;
import dev.tandem.inference.output.ModelOutputParser.Piece.Reasoning;
import dev.tandem.inference.output.ModelOutputParser.Piece.Text;
import dev.tandem.inference.output.ModelOutputParser.Piece.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelOutputParserTest {

    private static List<Piece> whole(String text, ToolCallSyntax syntax, boolean startsReasoning) {
        return merged(ModelOutputParser.parseAll(text, syntax, startsReasoning));
    }

    private static List<Piece> oneCharAtATime(String text, ToolCallSyntax syntax, boolean startsReasoning) {
        List<Piece> out = new ArrayList<>();
        ModelOutputParser p = new ModelOutputParser(syntax, startsReasoning, out::add);
        text.codePoints().forEach(cp -> p.accept(Character.toString(cp)));
        p.finish();
        return merged(out);
    }

    /** Joins neighbouring text or reasoning pieces: how a stream is cut into pieces is not part of the contract. */
    private static List<Piece> merged(List<Piece> pieces) {
        List<Piece> out = new ArrayList<>();
        for (Piece p : pieces) {
            Piece last = out.isEmpty() ? null : out.getLast();
            if (p instanceof Text(String t) && last instanceof Text(String before)) {
                out.set(out.size() - 1, new Text(before + t));
            } else if (p instanceof Reasoning(String t) && last instanceof Reasoning(String before)) {
                out.set(out.size() - 1, new Reasoning(before + t));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static String allText(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        for (Piece p : pieces) {
            if (p instanceof Text(String t)) {
                sb.append(t);
            }
        }
        return sb.toString();
    }

    static Stream<Arguments> outputs() {
        return Stream.of(
                Arguments.of("plain text", "Hello, <world> & <thin>!", ToolCallSyntax.HERMES, false),
                Arguments.of("think then answer", "<think>\nI should greet.\n</think>\n\nHello!", ToolCallSyntax.NONE, false),
                Arguments.of("interleaved thinking", "<think>a</think>\nb<think>\nc</think>d", ToolCallSyntax.HERMES, false),
                Arguments.of("prompt opened think", "\nplan</think>\n\nanswer", ToolCallSyntax.HERMES, true),
                Arguments.of("hermes call", "Checking.\n<tool_call>\n{\"name\":\"w\",\"arguments\":{\"c\":\"P\"}}\n</tool_call>\n",
                        ToolCallSyntax.HERMES, false),
                Arguments.of("malformed hermes call", "x <tool_call>{oops</tool_call> y", ToolCallSyntax.HERMES, false),
                Arguments.of("unclosed hermes call", "x <tool_call>{\"name\":", ToolCallSyntax.HERMES, false),
                Arguments.of("mistral calls", "Sure.[TOOL_CALLS][{\"name\":\"a\",\"arguments\":{}},{\"name\":\"b\"}]",
                        ToolCallSyntax.MISTRAL, false),
                Arguments.of("minimax call", "<think>hm</think>\n<minimax:tool_call>\n<invoke name=\"f\">"
                        + "<parameter name=\"q\">é ✓ 😀</parameter></invoke>\n</minimax:tool_call>", ToolCallSyntax.MINIMAX, false),
                Arguments.of("marker prefix at the end", "almost <tool_ca", ToolCallSyntax.HERMES, false),
                Arguments.of("close prefix at the end of reasoning", "<think>still </thin", ToolCallSyntax.HERMES, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void givesTheSameResultWhetherFedWholeOrOneCharacterAtATime(String name, String text, ToolCallSyntax syntax,
            boolean startsReasoning) {
        List<Piece> expected = whole(text, syntax, startsReasoning);

        assertThat(oneCharAtATime(text, syntax, startsReasoning)).isEqualTo(expected);
    }

    @Test
    void passesPlainTextThroughIncludingLeadingNewlines() {
        assertThat(whole("\n\nHello <b>there</b>", ToolCallSyntax.HERMES, false))
                .containsExactly(new Text("\n\nHello <b>there</b>"));
    }

    @Test
    void splitsReasoningFromTextAndTrimsTheNewlinesAroundTheTags() {
        assertThat(whole("<think>\nI should greet.\n</think>\n\nHello!\n", ToolCallSyntax.NONE, false))
                .containsExactly(new Reasoning("I should greet."), new Text("Hello!\n"));
    }

    @Test
    void readsInterleavedReasoningAnywhereInTheOutput() {
        assertThat(whole("Intro <think>first</think>\nmiddle\n<think>\n\nsecond</think>end", ToolCallSyntax.HERMES, false))
                .containsExactly(new Text("Intro "), new Reasoning("first"), new Text("middle\n"),
                        new Reasoning("second"), new Text("end"));
    }

    @Test
    void treatsTextAsReasoningUntilTheCloseTagWhenThePromptOpenedThinking() {
        List<Piece> out = new ArrayList<>();
        ModelOutputParser p = new ModelOutputParser(ToolCallSyntax.HERMES, true, out::add);

        assertThat(p.reasoning()).isTrue();
        p.accept("\n\nLet me plan.");
        p.accept("</think>\n\nThe answer.");
        p.finish();

        assertThat(p.reasoning()).isFalse();
        assertThat(merged(out)).containsExactly(new Reasoning("Let me plan."), new Text("The answer."));
    }

    @Test
    void reportsReasoningStateWhileStreaming() {
        ModelOutputParser p = new ModelOutputParser(ToolCallSyntax.NONE, false, piece -> { });

        assertThat(p.reasoning()).isFalse();
        p.accept("<thi");
        assertThat(p.reasoning()).as("a tag is not open until it is complete").isFalse();
        p.accept("nk>hmm");
        assertThat(p.reasoning()).isTrue();
        p.accept("</think>ok");
        assertThat(p.reasoning()).isFalse();
    }

    @Test
    void holdsBackAPossibleTagAndReleasesItWhenItIsNot() {
        List<Piece> out = new ArrayList<>();
        ModelOutputParser p = new ModelOutputParser(ToolCallSyntax.HERMES, false, out::add);

        p.accept("a <th");
        assertThat(out).containsExactly(new Text("a "));
        p.accept("ing>");
        assertThat(merged(out)).containsExactly(new Text("a <thing>"));
    }

    @Test
    void emitsHeldBackTextAtFinish() {
        List<Piece> out = new ArrayList<>();
        ModelOutputParser p = new ModelOutputParser(ToolCallSyntax.HERMES, false, out::add);

        p.accept("value <tool_ca");
        assertThat(merged(out)).containsExactly(new Text("value "));
        p.finish();
        assertThat(merged(out)).containsExactly(new Text("value <tool_ca"));
    }

    @Test
    void readsAHermesToolCallAndCountsIt() {
        List<Piece> out = new ArrayList<>();
        ModelOutputParser p = new ModelOutputParser(ToolCallSyntax.HERMES, false, out::add);

        p.accept("Checking the weather.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n");
        assertThat(p.toolCalls()).as("no call before its close tag").isZero();
        p.accept("</tool_call>\n");
        p.finish();

        assertThat(merged(out)).containsExactly(new Text("Checking the weather.\n"),
                new ToolCall("get_weather", "{\"city\":\"Paris\"}"));
        assertThat(p.toolCalls()).isEqualTo(1);
    }

    @Test
    void readsSeveralToolCallsInOrder() {
        String text = "<think>two lookups</think>\n<tool_call>{\"name\":\"a\",\"arguments\":{\"x\":1}}</tool_call>\n"
                + "<tool_call>{\"name\":\"b\",\"arguments\":\"{\\\"y\\\": 2}\"}</tool_call>";
        List<Piece> out = new ArrayList<>();
        ModelOutputParser p = new ModelOutputParser(ToolCallSyntax.HERMES, false, out::add);
        p.accept(text);
        p.finish();

        assertThat(merged(out)).containsExactly(new Reasoning("two lookups"), new ToolCall("a", "{\"x\":1}"),
                new ToolCall("b", "{\"y\":2}"));
        assertThat(p.toolCalls()).isEqualTo(2);
    }

    @Test
    void givesArgumentsAsTheSameJsonWhetherTheModelWroteAStringOrAnObject() {
        List<Piece> asObject = whole("<tool_call>{\"name\":\"f\",\"arguments\":{\"q\":\"a b\",\"n\":[1,2]}}</tool_call>",
                ToolCallSyntax.HERMES, false);
        List<Piece> asString = whole("<tool_call>{\"name\":\"f\",\"arguments\":\"{\\\"q\\\": \\\"a b\\\", \\\"n\\\": [1, 2]}\"}"
                + "</tool_call>", ToolCallSyntax.HERMES, false);

        assertThat(asObject).containsExactly(new ToolCall("f", "{\"q\":\"a b\",\"n\":[1,2]}"));
        assertThat(asString).isEqualTo(asObject);
    }

    @Test
    void givesAMalformedToolCallBackAsTextWithItsMarkers() {
        String text = "Before <tool_call>{\"name\": \"f\", oops}</tool_call> after";

        List<Piece> pieces = whole(text, ToolCallSyntax.HERMES, false);

        assertThat(pieces).allMatch(Text.class::isInstance);
        assertThat(allText(pieces)).isEqualTo(text);
    }

    @Test
    void losesNoNewlineAfterAMalformedToolCall() {
        String text = "<tool_call>not json</tool_call>\n\nStill here.";

        assertThat(allText(whole(text, ToolCallSyntax.HERMES, false))).isEqualTo(text);
        assertThat(allText(oneCharAtATime(text, ToolCallSyntax.HERMES, false))).isEqualTo(text);
    }

    @Test
    void givesAnUnclosedMalformedToolCallBackAsTextAtTheEnd() {
        String text = "Let me call <tool_call>{\"name\": \"get_wea";

        List<Piece> pieces = whole(text, ToolCallSyntax.HERMES, false);

        assertThat(pieces).containsExactly(new Text(text));
    }

    @Test
    void readsAWellFormedCallThatTheOutputEndedBeforeClosing() {
        // the model stopped on its end-of-turn token right after the JSON
        assertThat(whole("<tool_call>\n{\"name\":\"now\",\"arguments\":{}}\n", ToolCallSyntax.HERMES, false))
                .containsExactly(new ToolCall("now", "{}"));
    }

    @Test
    void readsMistralCallsToTheEndOfTheOutput() {
        List<Piece> out = new ArrayList<>();
        ModelOutputParser p = new ModelOutputParser(ToolCallSyntax.MISTRAL, false, out::add);

        p.accept("Sure.[TOOL_CALLS][{\"name\":\"add\",\"arguments\":{\"a\":1}},");
        p.accept("{\"name\":\"now\",\"arguments\":{}}]");
        assertThat(p.toolCalls()).as("a Mistral call has no close marker: it ends with the output").isZero();
        p.finish();

        assertThat(merged(out)).containsExactly(new Text("Sure."), new ToolCall("add", "{\"a\":1}"),
                new ToolCall("now", "{}"));
        assertThat(p.toolCalls()).isEqualTo(2);
    }

    @Test
    void givesAMalformedMistralCallBackAsText() {
        assertThat(whole("[TOOL_CALLS] I changed my mind", ToolCallSyntax.MISTRAL, false))
                .containsExactly(new Text("[TOOL_CALLS] I changed my mind"));
    }

    @Test
    void readsMiniMaxCallsAfterInlineReasoning() {
        String text = """
                <think>
                The user wants the weather.
                </think>

                <minimax:tool_call>
                <invoke name="get_weather">
                <parameter name="city">Paris</parameter>
                <parameter name="days">3</parameter>
                </invoke>
                <invoke name="get_time">
                </invoke>
                </minimax:tool_call>
                """;

        assertThat(whole(text, ToolCallSyntax.MINIMAX, false)).containsExactly(
                new Reasoning("The user wants the weather."),
                new ToolCall("get_weather", "{\"city\":\"Paris\",\"days\":3}"),
                new ToolCall("get_time", "{}"));
    }

    @Test
    void leavesToolMarkersAsTextWhenTheSyntaxIsNone() {
        String text = "<tool_call>{\"name\":\"f\",\"arguments\":{}}</tool_call>";

        assertThat(whole(text, ToolCallSyntax.NONE, false)).containsExactly(new Text(text));
    }

    @Test
    void leavesAToolCallWrittenInsideReasoningAsReasoning() {
        String text = "<think>maybe <tool_call>{\"name\":\"f\",\"arguments\":{}}</tool_call>?</think>no";

        assertThat(whole(text, ToolCallSyntax.HERMES, false)).containsExactly(
                new Reasoning("maybe <tool_call>{\"name\":\"f\",\"arguments\":{}}</tool_call>?"), new Text("no"));
    }

    @Test
    void emitsAnUnclosedReasoningBlockAsReasoningAtTheEnd() {
        assertThat(whole("<think>cut off </thi", ToolCallSyntax.HERMES, false))
                .containsExactly(new Reasoning("cut off </thi"));
    }
}
