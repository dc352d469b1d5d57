package dev.tandem.web.app;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * How the gacha pages write numbers and times; templates call it as {@code ${@gachaFormat.percent(x)}}.
 * Stateless.
 */
@Component("gachaFormat")
class GachaFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A share (0 to 1) as a percentage with enough digits to be exact where it matters: {@code 1.6052%}. */
    public String percent(double share) {
        double p = share * 100;
        if (p == 0) {
            return "0%";
        }
        String s = String.format(Locale.ROOT, p >= 10 ? "%.2f" : p >= 0.1 ? "%.4f" : "%.6f", p);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s + "%";
    }

    /** A chance in parts per million as a percentage: 6,000 ppm is {@code 0.6%}. */
    public String ppm(int ppm) {
        return percent(ppm / 1_000_000.0);
    }

    /** Epoch ms as {@code 2026-11-29 09:05 UTC}. */
    public String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    /** A signed amount: {@code +10}, {@code -160}, {@code 0}. */
    public String signed(long amount) {
        return amount > 0 ? "+" + amount : Long.toString(amount);
    }

    /** A number with two decimals: {@code 62.30}. */
    public String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
