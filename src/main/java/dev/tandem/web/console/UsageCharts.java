package dev.tandem.web.console;

import dev.tandem.billing.Money;
import dev.tandem.billing.UsageReports;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Tokens and spend per day, split by model or by key, as stacked bar charts drawn server-side (SVG whose every
 * text goes through the template's escaping) with the same figures in a table for screen readers and copying.
 * The six largest groups get their own colour; the rest are summed as "other".
 */
final class UsageCharts {

    static final int WIDTH = 720;
    static final int HEIGHT = 180;
    private static final int SERIES = 6;

    /** One coloured part of a day's bar. */
    record Segment(int x, int y, int width, int height, int series, String title) {
    }

    /** A chart: its bars' segments, the legend, the largest day's value, day labels under some bars. */
    record Chart(String title, List<Segment> segments, List<Legend> legend, String max, List<Label> labels) {
    }

    record Legend(int series, String name, String total) {
    }

    record Label(int x, String text) {
    }

    /** A row of the table under the charts: one group's totals over the range. */
    record Row(String name, long requests, long inputTokens, long outputTokens, String spend) {
    }

    record View(Chart tokens, Chart spend, List<Row> rows, boolean empty) {
    }

    private UsageCharts() {
    }

    /**
     * Draws {@code sums} (daily, from {@code from} to {@code to} exclusive) grouped by {@code group}, named for
     * people by {@code name}.
     */
    static View of(List<UsageReports.Sum> sums, LocalDate from, LocalDate to,
            Function<UsageReports.Sum, String> group, Function<String, String> name) {
        Map<String, long[]> totals = new LinkedHashMap<>(); // group → requests, input, output, tokens, spend
        for (UsageReports.Sum s : sums) {
            long[] t = totals.computeIfAbsent(group.apply(s), g -> new long[5]);
            t[0] += s.requests();
            t[1] += s.inputTokens();
            t[2] += s.outputTokens();
            t[3] += s.inputTokens() + s.outputTokens();
            t[4] += s.price();
        }
        List<String> ranked = new ArrayList<>(totals.keySet());
        ranked.sort((a, b) -> Long.compare(totals.get(b)[3] + totals.get(b)[4], totals.get(a)[3] + totals.get(a)[4]));
        Map<String, Integer> series = new HashMap<>();
        for (int i = 0; i < ranked.size(); i++) {
            series.put(ranked.get(i), Math.min(i, SERIES));
        }
        List<Row> rows = ranked.stream().map(g -> {
            long[] t = totals.get(g);
            return new Row(name.apply(g), t[0], t[1], t[2], Money.format(t[4]));
        }).toList();
        Chart tokens = chart("Tokens per day", sums, from, to, group, series, ranked, name,
                s -> s.inputTokens() + s.outputTokens(), v -> String.format("%,d", v));
        Chart spend = chart("Spend per day", sums, from, to, group, series, ranked, name, UsageReports.Sum::price,
                Money::format);
        return new View(tokens, spend, rows, sums.isEmpty());
    }

    private static Chart chart(String title, List<UsageReports.Sum> sums, LocalDate from, LocalDate to,
            Function<UsageReports.Sum, String> group, Map<String, Integer> series, List<String> ranked,
            Function<String, String> name, ToLongFunction<UsageReports.Sum> value, Function<Long, String> format) {
        int days = (int) Math.max(1, to.toEpochDay() - from.toEpochDay());
        long[][] cells = new long[days][SERIES + 1];
        for (UsageReports.Sum s : sums) {
            int day = (int) (LocalDate.ofEpochDay(Math.floorDiv(s.periodStart(), 86_400_000L)).toEpochDay()
                    - from.toEpochDay());
            if (day >= 0 && day < days) {
                cells[day][series.get(group.apply(s))] += value.applyAsLong(s);
            }
        }
        long max = 1;
        for (long[] day : cells) {
            long sum = 0;
            for (long v : day) {
                sum += v;
            }
            max = Math.max(max, sum);
        }
        int slot = WIDTH / days;
        int bar = Math.max(1, slot - Math.max(1, slot / 5));
        List<Segment> segments = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        String[] names = seriesNames(ranked, name);
        for (int d = 0; d < days; d++) {
            int y = HEIGHT;
            LocalDate date = from.plusDays(d);
            for (int k = 0; k <= SERIES; k++) {
                long v = cells[d][k];
                if (v == 0) {
                    continue;
                }
                int h = (int) Math.max(1, v * HEIGHT / max);
                y -= h;
                segments.add(new Segment(d * slot, y, bar, h, k, date + " · " + names[k] + ": " + format.apply(v)));
            }
            if (d % Math.max(1, days / 6) == 0) {
                labels.add(new Label(d * slot, date.toString().substring(5)));
            }
        }
        long[] perSeries = new long[SERIES + 1];
        for (long[] day : cells) {
            for (int k = 0; k <= SERIES; k++) {
                perSeries[k] += day[k];
            }
        }
        List<Legend> legend = new ArrayList<>();
        for (int k = 0; k <= SERIES; k++) {
            if (names[k] != null && perSeries[k] > 0) {
                legend.add(new Legend(k, names[k], format.apply(perSeries[k])));
            }
        }
        return new Chart(title, segments, legend, format.apply(max), labels);
    }

    private static String[] seriesNames(List<String> ranked, Function<String, String> name) {
        String[] names = new String[SERIES + 1];
        for (int i = 0; i < Math.min(SERIES, ranked.size()); i++) {
            names[i] = name.apply(ranked.get(i));
        }
        if (ranked.size() > SERIES) {
            names[SERIES] = "other";
        }
        return names;
    }

    /** Today in UTC, the day usage sums are cut at. */
    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
