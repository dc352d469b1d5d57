package dev.tandem.companion.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of {@link SelfDisclosureExtractor}, sentence by sentence: what a person wrote → the fact, or none. */
class SelfDisclosureExtractorTest {

    final SelfDisclosureExtractor extractor = new SelfDisclosureExtractor();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            I love hiking in the Alps                 | {{user}} loves hiking in the Alps
            My sister is called Mia                   | {{user}}'s sister is called Mia
            My dog is called Biscuit.                 | {{user}}'s dog is called Biscuit
            I work as a nurse in Leeds                | {{user}} works as a nurse in Leeds
            I'm a nurse                               | {{user}} is a nurse
            I’m from Leeds!                           | {{user}} is from Leeds
            im 34 and I live with my partner          | {{user}} is 34 and they live with their partner
            I am allergic to peanuts                  | {{user}} is allergic to peanuts
            I really love hiking                      | {{user}} really loves hiking
            i love my mum                             | {{user}} loves their mum
            I don't really like horror films          | {{user}} doesn't really like horror films
            I do not eat meat                         | {{user}} does not eat meat
            I do love a good curry                    | {{user}} does love a good curry
            I can't stand loud music                  | {{user}} can't stand loud music
            I prefer tea to coffee                    | {{user}} prefers tea to coffee
            I study medicine at Leeds                 | {{user}} studies medicine at Leeds
            I want to visit Japan someday             | {{user}} wants to visit Japan someday
            I watch anime every night                 | {{user}} watches anime every night
            I grew up in Cornwall                     | {{user}} grew up in Cornwall
            I used to live in Berlin                  | {{user}} used to live in Berlin
            I have two cats and a dog                 | {{user}} has two cats and a dog
            I've been vegan for ten years             | {{user}} has been vegan for ten years
            I was born in 1990                        | {{user}} was born in 1990
            Call me Sam                               | {{user}} wants to be called Sam
            You can call me Sammy                     | {{user}} wants to be called Sammy
            My name is Sam                            | {{user}}'s name is Sam
            Well, I live in Leeds now!                | {{user}} lives in Leeds now
            lol yeah I love that show                 | {{user}} loves that show
            I love hiking, do you?                    | {{user}} loves hiking
            I love you                                | {{user}} loves {{char}}
            I like your stories                       | {{user}} likes {{char}}'s stories
            What is my dog's name?                    | NONE
            Do you like hiking?                       | NONE
            Tell me a story about dragons             | NONE
            lol                                       | NONE
            ok                                        | NONE
            The weather is nice today                 | NONE
            You are so funny                          | NONE
            I think you are right                     | NONE
            I'm fine                                  | NONE
            I'm so tired                              | NONE
            I'm sorry                                 | NONE
            I'm going to bed                          | NONE
            I'm not sure                              | NONE
            I have to go                              | NONE
            I have no idea                            | NONE
            I was tired yesterday                     | NONE
            I love                                    | NONE
            My bad                                    | NONE
            My god, that is funny                     | NONE
            I don't grew up                           | NONE
            If I were you I would run                 | NONE
            """)
    void extractsSelfDisclosuresInTheThirdPerson(String sentence, String fact) {
        assertThat(extractor.extract(sentence)).isEqualTo(fact == null ? List.of() : List.of(fact));
    }

    @Test
    void findsEachFactOfAMessageOnceAndSkipsTheRest() {
        String message = """
                Hi! Oh, my dog is called Biscuit. What is yours called?
                I love hiking. I love hiking!
                Tell me about your day""";
        assertThat(extractor.extract(message))
                .containsExactly("{{user}}'s dog is called Biscuit", "{{user}} loves hiking");
    }

    @Test
    void skipsRunOnSentences() {
        String runOn = "I love " + "very ".repeat(60) + "long walks";
        assertThat(runOn.length()).isGreaterThan(SelfDisclosureExtractor.MAX_SENTENCE);
        assertThat(extractor.extract(runOn)).isEmpty();
        assertThat(extractor.extract("I love " + "very ".repeat(10) + "long walks")).hasSize(1);
    }
}
