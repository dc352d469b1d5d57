package dev.tandem.companion.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which facts replace which: the person's words → the extractor's fact → its slot (pairs with one slot replace). */
class FactSlotsTest {

    final SelfDisclosureExtractor extractor = new SelfDisclosureExtractor();

    @ParameterizedTest(name = "\"{0}\" then \"{1}\": replaces = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            I live in Leeds                   | I live in York                      | true
            I live in Leeds                   | I moved to York                     | true
            I work as a nurse                 | I work as a teacher now             | true
            I work as a nurse                 | I work at the hospital              | false
            I'm from Leeds                    | I'm from Sheffield actually         | true
            I'm 34                            | I'm 35                              | true
            I'm 34                            | I'm a runner                        | false
            My favourite colour is blue       | My favourite colour is green        | true
            My sister is a doctor             | My sister is a nurse                | true
            My sister is called Mia           | My sister is a nurse                | false
            My dog is called Biscuit          | My cat is called Biscuit            | false
            Call me Sam                       | You can call me Sammy               | true
            I love coffee                     | I hate coffee                       | true
            I really like coffee              | I don't like coffee anymore         | true
            I love coffee                     | I love coffee so much               | true
            I like coffee                     | I can't stand coffee                | true
            I love hiking                     | I love chess                        | false
            I have a dog                      | I have two cats                     | false
            I'm a runner                      | I'm a painter                       | false
            """)
    void aNewerFactReplacesAnOlderOneAboutTheSameThingOnly(String first, String then, boolean replaces) {
        String a = extractor.extract(first).getFirst();
        String b = extractor.extract(then).getFirst();
        boolean same = FactSlots.of(a).isPresent() && FactSlots.of(a).equals(FactSlots.of(b));
        assertThat(same).as("%s → %s / %s → %s", a, FactSlots.of(a), b, FactSlots.of(b)).isEqualTo(replaces);
    }
}
