package dev.tandem.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Text in the usage CSV export can neither break its rows nor run as a spreadsheet formula. */
class CsvFieldTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "plain|plain",
            "a,b|~\"a,b\"~",
            "say \"hi\"|~\"say \"\"hi\"\"\"~",
            "=SUM(A1)|'=SUM(A1)",
            "+1|'+1",
            "@cmd|'@cmd",
            "-2,3|~\"'-2,3\"~"})
    void quotesAndDefusesTextFields(String value, String expected) {
        assertThat(UsageController.csv(value)).isEqualTo(expected);
    }
}
