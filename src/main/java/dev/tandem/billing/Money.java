package dev.tandem.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money is a {@code long} of micro-units (millionths) of the platform currency, USD by default: no floating point
 * anywhere. This class converts from and to decimal text at the edges.
 */
public final class Money {

    public static final long MICROS_PER_UNIT = 1_000_000L;

    private Money() {
    }

    /**
     * Parses a decimal amount of currency units ({@code "0.30"}) into micro-units.
     *
     * @throws IllegalArgumentException when it is not a number or finer than a micro-unit
     */
    public static long parse(String decimal) {
        BigDecimal value;
        try {
            value = new BigDecimal(decimal.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an amount of money: '" + decimal + "'");
        }
        BigDecimal micros = value.movePointRight(6);
        if (micros.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("amounts have at most 6 decimals (micro-units), was " + decimal);
        }
        return micros.longValueExact();
    }

    /** Micro-units as a decimal amount with 6 decimals, e.g. {@code 0.000123}. */
    public static String format(long micros) {
        return BigDecimal.valueOf(micros).movePointLeft(6).setScale(6, RoundingMode.UNNECESSARY).toPlainString();
    }

    /**
     * The price of {@code tokens} at {@code microsPerMillion} micro-units per million tokens, rounded half up to a
     * micro-unit. Exact integer arithmetic.
     */
    public static long perMillion(long tokens, long microsPerMillion) {
        if (tokens <= 0 || microsPerMillion <= 0) {
            return 0;
        }
        return Math.addExact(Math.multiplyExact(tokens, microsPerMillion), 500_000L) / 1_000_000L;
    }
}
