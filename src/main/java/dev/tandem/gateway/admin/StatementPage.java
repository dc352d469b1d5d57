package dev.tandem.gateway.admin;

import dev.tandem.billing.UsageReports.Line;
import dev.tandem.billing.UsageReports.Statement;
import dev.tandem.billing.UsageReports.TopUp;
import dev.tandem.identity.Organization;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A monthly statement as a printable HTML page: plain HTML, print CSS (A4, no screen-only chrome), no scripts,
 * every value HTML-escaped.
 */
final class StatementPage {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.ENGLISH);
    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111;margin:2rem auto;max-width:60rem}
            h1{font-size:1.6rem;margin:0}h2{font-size:1.1rem;margin:1.8rem 0 .5rem}
            header p{margin:.2rem 0;color:#444}.note{color:#a15c00}
            table{border-collapse:collapse;width:100%}th,td{padding:.35rem .5rem;border-bottom:1px solid #ddd}
            th{text-align:left;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            tfoot th,tfoot td,.total th,.total td{border-top:2px solid #111;font-weight:700}
            footer{margin-top:2rem;color:#666;font-size:.85rem}
            @media print{body{margin:0;max-width:none;font-size:11pt}@page{size:A4;margin:16mm}
            h2{break-after:avoid}tr{break-inside:avoid}}
            """;

    private StatementPage() {
    }

    static String render(Organization org, Statement s, long generatedAt) {
        StringBuilder h = new StringBuilder(4096);
        String period = MONTH.format(s.month());
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>Statement ").append(esc(period)).append(" · ").append(esc(org.name()))
                .append("</title><style>").append(CSS).append("</style></head><body>\n<header><h1>Statement</h1>")
                .append("<p><strong>").append(esc(org.name())).append("</strong> (").append(esc(org.id()))
                .append(")</p><p>Period: ").append(esc(day(s.from()))).append(" – ").append(esc(day(s.to() - 1)))
                .append(" (UTC)</p><p>Currency: USD</p>");
        if (s.provisional()) {
            h.append("<p class=\"note\">Provisional: the month is not over; figures up to ")
                    .append(esc(Instant.ofEpochMilli(generatedAt).toString())).append(".</p>");
        }
        h.append("</header>\n<section><h2>Summary</h2><table>")
                .append(summaryRow("Opening balance", s.openingBalance(), false))
                .append(summaryRow("Top-ups", s.topUpTotal(), false))
                .append(summaryRow("Spend", -s.spend(), false))
                .append(summaryRow("Closing balance", s.closingBalance(), true))
                .append("</table></section>\n<section><h2>Top-ups</h2>");
        if (s.topUps().isEmpty()) {
            h.append("<p>None this month.</p>");
        } else {
            h.append("<table><thead><tr><th>Date</th><th>Kind</th><th>Note</th><th class=\"n\">Amount</th></tr>")
                    .append("</thead><tbody>");
            for (TopUp t : s.topUps()) {
                h.append("<tr><td>").append(esc(day(t.at()))).append("</td><td>").append(esc(kind(t.kind())))
                        .append("</td><td>").append(esc(t.memo())).append("</td><td class=\"n\">")
                        .append(esc(amount(t.amount()))).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>\n<section><h2>Usage by model</h2>");
        if (s.lines().isEmpty()) {
            h.append("<p>No usage this month.</p>");
        } else {
            h.append("<table><thead><tr><th>Model</th><th class=\"n\">Requests</th><th class=\"n\">Input tokens</th>")
                    .append("<th class=\"n\">Cached input tokens</th><th class=\"n\">Output tokens</th>")
                    .append("<th class=\"n\">Amount</th></tr></thead><tbody>");
            long requests = 0;
            long input = 0;
            long cached = 0;
            long output = 0;
            for (Line l : s.lines()) {
                h.append("<tr><td>").append(esc(l.model())).append("</td>").append(number(l.requests()))
                        .append(number(l.inputTokens())).append(number(l.cachedTokens()))
                        .append(number(l.outputTokens())).append("<td class=\"n\">").append(esc(amount(l.amount())))
                        .append("</td></tr>");
                requests += l.requests();
                input += l.inputTokens();
                cached += l.cachedTokens();
                output += l.outputTokens();
            }
            h.append("</tbody><tfoot><tr><th>Total</th>").append(number(requests)).append(number(input))
                    .append(number(cached)).append(number(output)).append("<td class=\"n\">")
                    .append(esc(amount(s.spend()))).append("</td></tr></tfoot></table>");
        }
        h.append("</section>\n<footer>Generated by Tandem on ").append(esc(Instant.ofEpochMilli(generatedAt).toString()))
                .append(". Amounts are exact to a millionth of a dollar.</footer>\n</body></html>\n");
        return h.toString();
    }

    private static String summaryRow(String label, long micros, boolean total) {
        return "<tr" + (total ? " class=\"total\"" : "") + "><th>" + esc(label) + "</th><td class=\"n\">"
                + esc(amount(micros)) + "</td></tr>";
    }

    private static String number(long n) {
        return "<td class=\"n\">" + esc(String.format(Locale.ENGLISH, "%,d", n)) + "</td>";
    }

    private static String kind(String ledgerKind) {
        return switch (ledgerKind) {
            case "grant" -> "Credit grant";
            case "redeem" -> "Redemption code";
            default -> ledgerKind;
        };
    }

    private static String day(long millis) {
        return DATE.format(LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    /** {@code $1,234.50}, {@code -$0.003}: exact, at least two decimals, no trailing zeros beyond them. */
    static String amount(long micros) {
        BigDecimal v = BigDecimal.valueOf(Math.abs(micros), 6).stripTrailingZeros();
        if (v.scale() < 2) {
            v = v.setScale(2);
        }
        String digits = String.format(Locale.ENGLISH, "%,." + v.scale() + "f", v);
        return (micros < 0 ? "-$" : "$") + digits;
    }

    /** Text for HTML element content and attribute values. */
    static String esc(@Nullable String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
