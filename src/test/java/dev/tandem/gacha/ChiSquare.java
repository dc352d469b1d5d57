package dev.tandem.gacha;

import java.util.ArrayList;
import java.util.List;

/**
 * Pearson's chi-square goodness-of-fit test, with the chi-square distribution computed here: its CDF is the
 * regularized lower incomplete gamma function {@code P(k/2, x/2)} (series below {@code a + 1}, Lentz's continued
 * fraction above, as in Numerical Recipes §6.2), and its quantile is found by bisection on the CDF.
 */
final class ChiSquare {

    /** Cells are merged until each expects at least this many observations (the usual rule for the test). */
    static final double MIN_EXPECTED = 5;

    private static final double[] LANCZOS = {676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};

    private ChiSquare() {
    }

    /**
     * A test's outcome.
     *
     * @param statistic        Pearson's {@code sum (O - E)^2 / E} over the merged cells
     * @param degreesOfFreedom merged cells minus one (nothing is estimated from the data)
     */
    record Result(double statistic, int degreesOfFreedom) {

        /** The statistic's upper-tail probability under the hypothesis. */
        double pValue() {
            return 1 - cdf(statistic, degreesOfFreedom);
        }

        /** The value the statistic must exceed to reject at level {@code alpha}. */
        double critical(double alpha) {
            return quantile(1 - alpha, degreesOfFreedom);
        }

        boolean rejects(double alpha) {
            return statistic > critical(alpha);
        }
    }

    /**
     * Tests counts against cell probabilities. Cells are merged in order (for a distribution over 1..n, from both
     * ends inward in effect) until each merged cell expects at least {@link #MIN_EXPECTED}; a short last group joins
     * the one before it.
     */
    static Result test(long[] observed, double[] probabilities) {
        if (observed.length != probabilities.length) {
            throw new IllegalArgumentException("observed has " + observed.length + " cells, probabilities "
                    + probabilities.length);
        }
        long total = 0;
        for (long o : observed) {
            total += o;
        }
        List<double[]> cells = new ArrayList<>(); // {observed, expected}
        double o = 0;
        double e = 0;
        for (int i = 0; i < observed.length; i++) {
            o += observed[i];
            e += probabilities[i] * total;
            if (e >= MIN_EXPECTED) {
                cells.add(new double[] {o, e});
                o = 0;
                e = 0;
            }
        }
        if (e > 0 || o > 0) {
            if (cells.isEmpty()) {
                throw new IllegalArgumentException("too few observations: no cell expects " + MIN_EXPECTED);
            }
            double[] last = cells.getLast();
            last[0] += o;
            last[1] += e;
        }
        double statistic = 0;
        for (double[] cell : cells) {
            statistic += (cell[0] - cell[1]) * (cell[0] - cell[1]) / cell[1];
        }
        return new Result(statistic, cells.size() - 1);
    }

    /** {@code P(X <= x)} for a chi-square variable with {@code df} degrees of freedom. */
    static double cdf(double x, int df) {
        return x <= 0 ? 0 : regularizedGammaP(df / 2.0, x / 2);
    }

    /** The {@code p}-quantile of the chi-square distribution with {@code df} degrees of freedom. */
    static double quantile(double p, int df) {
        if (!(p > 0 && p < 1) || df < 1) {
            throw new IllegalArgumentException("need 0 < p < 1 and df >= 1, was p=" + p + " df=" + df);
        }
        double low = 0;
        double high = df + 10 * Math.sqrt(2.0 * df) + 50;
        while (cdf(high, df) < p) {
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > 1e-12 * high; i++) {
            double mid = (low + high) / 2;
            if (cdf(mid, df) < p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** The regularized lower incomplete gamma function {@code P(a, x) = γ(a, x) / Γ(a)}. */
    static double regularizedGammaP(double a, double x) {
        if (x <= 0) {
            return 0;
        }
        double logPrefix = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            // series: P = e^-x x^a / Γ(a+1) * sum x^n / ((a+1)...(a+n))
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
                term *= x / (a + n);
                sum += term;
            }
            return sum * Math.exp(logPrefix);
        }
        // continued fraction for Q = 1 - P (modified Lentz)
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return 1 - Math.exp(logPrefix) * h;
    }

    /** {@code ln Γ(x)} for {@code x > 0} (Lanczos, g = 7), good to about 15 digits. */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double sum = 0.99999999999980993;
        for (int i = 0; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (x + i + 1);
        }
        double t = x + LANCZOS.length - 0.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
