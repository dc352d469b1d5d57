package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chi-square machinery the rate tests rely on, against published tables and closed forms. */
class ChiSquareTest {

    @ParameterizedTest(name = "chi2 quantile p={0} df={1} = {2}")
    @CsvSource({
        // NIST/SEMATECH e-Handbook 1.3.6.7.4, upper critical values of the chi-square distribution
        "0.95, 1, 3.841", "0.999, 1, 10.828", "0.999, 2, 13.816", "0.999, 3, 16.266", "0.999, 10, 29.588",
        "0.999, 30, 59.703", "0.999, 60, 99.607", "0.999, 100, 149.449", "0.95, 100, 124.342", "0.01, 5, 0.554"
    })
    void quantilesMatchThePublishedTable(double p, int df, double expected) {
        assertThat(ChiSquare.quantile(p, df)).isCloseTo(expected, within(0.0015));
    }

    @Test
    void cdfMatchesClosedFormsForTwoDegreesOfFreedomAndForOne() {
        for (double x : new double[] {0.01, 0.5, 2, 7.5, 30, 120}) {
            assertThat(ChiSquare.cdf(x, 2)).isCloseTo(1 - Math.exp(-x / 2), within(1e-13));
        }
        // df = 1: P(X <= 3.841458820694124) = 0.95, the square of the normal 97.5 % point 1.959963984540054
        assertThat(ChiSquare.cdf(1.959963984540054 * 1.959963984540054, 1)).isCloseTo(0.95, within(1e-12));
    }

    @Test
    void logGammaMatchesFactorials() {
        assertThat(ChiSquare.logGamma(1)).isCloseTo(0, within(1e-14));
        assertThat(ChiSquare.logGamma(11)).isCloseTo(Math.log(3_628_800), within(1e-12));
        assertThat(ChiSquare.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
    }

    @Test
    void sparseCellsAreMergedUntilEachExpectsFive() {
        // 100 observations over probabilities whose tail cells expect 1 each: they merge into one cell
        long[] observed = {40, 40, 10, 2, 3, 5};
        double[] probabilities = {0.4, 0.4, 0.1, 0.01, 0.01, 0.08};
        ChiSquare.Result result = ChiSquare.test(observed, probabilities);
        assertThat(result.degreesOfFreedom()).isEqualTo(3); // {40}, {40}, {10}, {2+3+5 expecting 10}
        assertThat(result.statistic()).isCloseTo(0, within(1e-12));
        assertThat(ChiSquare.test(new long[] {70, 30}, new double[] {0.5, 0.5}).statistic())
                .isCloseTo(16, within(1e-12));
    }
}
