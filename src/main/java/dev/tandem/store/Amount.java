package dev.tandem.store;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/**
 * Money: {@code minor} units (fen, cents) of an ISO 4217 {@code currency}. Immutable.
 *
 * @param minor    may be negative (a difference)
 * @param currency ISO 4217 code
 */
public record Amount(long minor, String currency) {

    public Amount {
        Objects.requireNonNull(currency, "currency");
        Currency.getInstance(currency); // IllegalArgumentException for an unknown code
    }

    /** Minor units per major unit: 100 for CNY and USD, 1 for JPY. */
    public static long scale(String currency) {
        return BigDecimal.TEN.pow(Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits()))
                .longValueExact();
    }

    public Amount plus(long more) {
        return new Amount(Math.addExact(minor, more), currency);
    }

    /**
     * As people write it: {@code ¥200}, {@code ¥6.50}, {@code $4.99}, {@code €5}; whole amounts without decimals.
     * CNY is written ¥ (as in China); other currencies with their symbol in US English ({@code CA$}, {@code €}).
     */
    public String format() {
        String symbol = switch (currency) {
            case "CNY" -> "¥";
            case "USD" -> "$";
            default -> Currency.getInstance(currency).getSymbol(Locale.US);
        };
        long scale = scale(currency);
        BigDecimal value = BigDecimal.valueOf(minor).divide(BigDecimal.valueOf(scale));
        String number = minor % scale == 0 ? value.toBigInteger().toString()
                : value.setScale(Currency.getInstance(currency).getDefaultFractionDigits()).toPlainString();
        if (number.startsWith("-")) {
            return "-" + symbol + number.substring(1);
        }
        return symbol + number;
    }

    @Override
    public String toString() {
        return format();
    }
}
