package dev.tandem.inference.output;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds caller-given stop sequences in streamed text. Text that might be the start of a stop sequence is held
 * back until the next piece shows whether it is; a found sequence and everything after it are dropped.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class StopSequenceMatcher {

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private @Nullable String matched;

    public StopSequenceMatcher(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Feeds the next piece of text.
     *
     * @return the text that is certainly not part of a stop sequence (may be empty)
     */
    public String accept(String piece) {
        if (matched != null) {
            return "";
        }
        if (stops.isEmpty()) {
            return piece;
        }
        held.append(piece);
        int best = -1;
        String bestStop = null;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
                bestStop = stop;
            }
        }
        if (bestStop != null) {
            matched = bestStop;
            String out = held.substring(0, best);
            held.setLength(0);
            return out;
        }
        int keep = longestPendingPrefix();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** The text held back at the end of the stream: it was not a stop sequence after all. */
    public String flush() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    /** The stop sequence found, once one was. */
    public @Nullable String matched() {
        return matched;
    }

    private int longestPendingPrefix() {
        int best = 0;
        for (String stop : stops) {
            int max = Math.min(stop.length() - 1, held.length());
            for (int len = max; len > best; len--) {
                if (endsWith(held, stop, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    private static boolean endsWith(CharSequence text, String stop, int len) {
        int from = text.length() - len;
        for (int i = 0; i < len; i++) {
            if (text.charAt(from + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
