package dev.tandem.gateway.admin;

import dev.tandem.billing.UsageReports.Period;
import dev.tandem.gateway.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of the report endpoints, as OpenAI's usage and costs APIs take them: times in Unix seconds,
 * lists either repeated ({@code models=a&models=b}, also {@code models[]=a}) or comma-separated, a page cursor.
 * Every failure is a 400 that names the parameter.
 */
final class ReportParams {

    private static final long MAX_SECONDS = 32_503_680_000L; // year 3000

    private final HttpServletRequest request;

    ReportParams(HttpServletRequest request) {
        this.request = request;
    }

    /** A time in Unix seconds, as epoch ms; {@code fallback} when absent (null: the parameter is required). */
    long seconds(String name, @Nullable Long fallbackMillis) {
        String v = request.getParameter(name);
        if (v == null || v.isBlank()) {
            if (fallbackMillis == null) {
                throw ApiError.invalid(name + ": Field required (a Unix time in seconds)", name);
            }
            return fallbackMillis;
        }
        try {
            long s = Long.parseLong(v.strip());
            if (s < 0 || s > MAX_SECONDS) {
                throw new NumberFormatException();
            }
            return s * 1000;
        } catch (NumberFormatException e) {
            throw ApiError.invalid(name + ": a Unix time in seconds, was '" + v + "'", name);
        }
    }

    int integer(String name, int fallback, int min, int max) {
        String v = request.getParameter(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v.strip());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiError.invalid(name + ": an integer from " + min + " to " + max + ", was '" + v + "'", name);
        }
    }

    /** Every value of a list parameter, in order, without repeats. */
    Set<String> list(String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String key : List.of(name, name + "[]")) {
            String[] values = request.getParameterValues(key);
            if (values == null) {
                continue;
            }
            for (String v : values) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
            }
        }
        if (out.size() > 1000) {
            throw ApiError.invalid(name + ": at most 1000 values", name);
        }
        return out;
    }

    /** {@code group_by}: each value must be one of {@code allowed}. */
    Set<String> groupBy(List<String> allowed) {
        Set<String> groups = list("group_by");
        for (String g : groups) {
            if (!allowed.contains(g)) {
                throw ApiError.invalid("group_by: '" + g + "' is not supported here; use " + String.join(", ", allowed),
                        "group_by");
            }
        }
        return groups;
    }

    /** Refuses filters Tandem cannot answer truthfully (it has no projects or per-user usage). */
    void refuse(String name, String why) {
        if (!list(name).isEmpty()) {
            throw ApiError.invalid(name + ": " + why, name);
        }
    }

    /** {@code bucket_width}: {@code 1h} or {@code 1d} (the default); {@code 1m} is refused with the reason. */
    Period width(boolean hourAllowed) {
        String v = request.getParameter("bucket_width");
        if (v == null || v.isBlank() || v.strip().equals("1d")) {
            return Period.DAY;
        }
        return switch (v.strip()) {
            case "1h" -> {
                if (!hourAllowed) {
                    throw ApiError.invalid("bucket_width: costs are reported per day; use 1d", "bucket_width");
                }
                yield Period.HOUR;
            }
            case "1m" -> throw ApiError.invalid("bucket_width: 1m is not available: Tandem sums usage per hour and "
                    + "per day, not per minute; use 1h or 1d", "bucket_width");
            default -> throw ApiError.invalid("bucket_width: 1h or 1d, was '" + v + "'", "bucket_width");
        };
    }

    /** A page cursor as {@link #cursor} made it: the start of the page's first bucket, epoch ms. */
    @Nullable Long page() {
        String v = request.getParameter("page");
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(v.strip()), StandardCharsets.UTF_8);
            if (!text.startsWith("bucket:")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(text.substring("bucket:".length()));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("page: not a cursor from next_page of an earlier response", "page");
        }
    }

    static String cursor(long bucketStartMillis) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("bucket:" + bucketStartMillis).getBytes(StandardCharsets.UTF_8));
    }
}
