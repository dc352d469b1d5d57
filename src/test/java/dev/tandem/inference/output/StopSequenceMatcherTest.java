package dev.tandem.inference.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopSequenceMatcherTest {

    /** Feeds the pieces in order and returns each accept() result, then flush() as the last element. */
    private static List<String> feed(StopSequenceMatcher m, String... pieces) {
        List<String> out = new ArrayList<>();
        for (String p : pieces) {
            out.add(m.accept(p));
        }
        out.add(m.flush());
        return out;
    }

    private static String chars(StopSequenceMatcher m, String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            sb.append(m.accept(text.substring(i, i + 1)));
        }
        return sb.append(m.flush()).toString();
    }

    @Test
    void passesTextThroughUnchangedWhenThereAreNoStops() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of());

        assertThat(m.accept("Hello <")).isEqualTo("Hello <");
        assertThat(m.accept("/s> world")).isEqualTo("/s> world");
        assertThat(m.flush()).isEmpty();
        assertThat(m.matched()).isNull();
    }

    @Test
    void ignoresEmptyStopSequences() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("", ""));

        assertThat(m.accept("anything")).isEqualTo("anything");
        assertThat(m.matched()).isNull();
    }

    @Test
    void releasesTextThatCannotStartAStopImmediately() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("STOP"));

        assertThat(m.accept("hello world")).isEqualTo("hello world");
        assertThat(m.matched()).isNull();
    }

    @Test
    void findsAStopSequenceSplitAcrossPieces() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("<|end|>"));

        assertThat(m.accept("The answer <|")).isEqualTo("The answer ");
        assertThat(m.accept("en")).isEmpty();
        assertThat(m.accept("d|> trailing")).isEmpty();
        assertThat(m.matched()).isEqualTo("<|end|>");
        assertThat(m.flush()).isEmpty();
    }

    @Test
    void findsAStopSequenceFedOneCharacterAtATime() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("###"));

        assertThat(chars(m, "one # two ## three ### four")).isEqualTo("one # two ## three ");
        assertThat(m.matched()).isEqualTo("###");
    }

    @Test
    void dropsTheStopAndEverythingAfterItWithinOnePiece() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("\n\n"));

        assertThat(m.accept("first line\n\nsecond paragraph")).isEqualTo("first line");
        assertThat(m.matched()).isEqualTo("\n\n");
    }

    @Test
    void emitsNothingAfterAMatch() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("END"));

        assertThat(m.accept("abcEND")).isEqualTo("abc");
        assertThat(m.accept("more text")).isEmpty();
        assertThat(m.accept("E")).isEmpty();
        assertThat(m.flush()).isEmpty();
        assertThat(m.matched()).isEqualTo("END");
    }

    @Test
    void earliestOfSeveralStopsWinsRegardlessOfListOrder() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("world", "lo"));

        assertThat(m.accept("hello world")).isEqualTo("hel");
        assertThat(m.matched()).isEqualTo("lo");
    }

    @Test
    void overlappingStopThatStartsEarlierWins() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("at", "cat"));

        assertThat(m.accept("the c")).isEqualTo("the ");
        assertThat(m.accept("at sat")).isEmpty();
        assertThat(m.matched()).isEqualTo("cat");
    }

    @Test
    void releasesHeldTextOnceItTurnsOutNotToBeAStop() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("</s>"));

        assertThat(m.accept("a </")).isEqualTo("a ");
        assertThat(m.accept("b> c")).isEqualTo("</b> c");
        assertThat(m.matched()).isNull();
    }

    @Test
    void keepsHoldingTheLongestStillPossiblePrefix() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("abab"));

        assertThat(m.accept("xaba")).isEqualTo("x");
        // "abaa" cannot continue into "abab", but its last "a" still can
        assertThat(m.accept("a")).isEqualTo("aba");
        assertThat(m.accept("bab")).isEmpty();
        assertThat(m.matched()).isEqualTo("abab");
    }

    @Test
    void flushReturnsTextHeldBackAtTheEndOfTheStream() {
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("<|im_end|>"));

        assertThat(feed(m, "done <|im_")).containsExactly("done ", "<|im_");
        assertThat(m.matched()).isNull();
        assertThat(m.flush()).as("flush empties the buffer").isEmpty();
    }

    @Test
    void neverLosesOrDuplicatesTextWhenNoStopMatches() {
        String text = "<< <|e <|en <|end <|end| <|end|x and done <|";
        StopSequenceMatcher m = new StopSequenceMatcher(List.of("<|end|>", "<<<"));

        assertThat(chars(m, text)).isEqualTo(text);
        assertThat(m.matched()).isNull();
    }
}
