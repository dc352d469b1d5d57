package dev.tandem.companion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A lorebook (a card's {@code character_book}, or a SillyTavern World Info file) and the rules that decide which
 * of its entries go into a prompt, as SillyTavern defines them: keys matched case-insensitively on whole words
 * (per entry: case-sensitive, partial words, {@code /regex/flags}), secondary keys with AND ANY / NOT ALL / NOT ANY /
 * AND ALL, a scan depth of recent messages, recursion through activated entries' content (entries may be
 * non-recursable, stop further recursion, or wait for recursion), constant entries, and a token budget filled
 * constant entries first, then direct hits before recursive ones, each by priority — once the budget is spent
 * nothing more activates. Activated entries come out in insertion order (lower first).
 *
 * @param entries           every entry
 * @param scanDepth         how many of the latest messages are scanned for keys
 * @param tokenBudget       the most tokens the activated entries may take together
 * @param recursiveScanning whether activated entries' content is scanned for further keys
 */
public record Lorebook(List<Entry> entries, int scanDepth, int tokenBudget, boolean recursiveScanning) {

    private static final int MAX_RECURSION = 10;

    public Lorebook {
        entries = List.copyOf(entries);
    }

    /** How secondary keys combine with a primary hit. */
    public enum Logic {
        AND_ANY, NOT_ALL, NOT_ANY, AND_ALL
    }

    /** Where an entry goes: before or after the character's definitions. */
    public enum Position {
        BEFORE_CHAR, AFTER_CHAR
    }

    /** One entry; {@code scanDepth} null means the book's. */
    public record Entry(String name, List<String> keys, List<String> secondaryKeys, Logic logic, String content,
            boolean enabled, boolean constant, int insertionOrder, int priority, boolean caseSensitive,
            boolean wholeWords, Position position, @Nullable Integer scanDepth, boolean excludeRecursion,
            boolean preventRecursion, boolean delayUntilRecursion) {
        public Entry {
            keys = List.copyOf(keys);
            secondaryKeys = List.copyOf(secondaryKeys);
        }
    }

    /** The lorebook of a card's {@code character_book}, or of a SillyTavern World Info file. */
    public static Lorebook of(JsonNode book) {
        JsonNode entries = book.path("entries");
        List<Entry> out = new ArrayList<>();
        if (entries.isArray()) {
            entries.forEach(e -> out.add(entry(e)));
        } else if (entries.isObject()) {
            entries.properties().forEach(e -> out.add(entry(e.getValue())));
        }
        return new Lorebook(out, book.path("scan_depth").asInt(4), book.path("token_budget").asInt(2048),
                book.path("recursive_scanning").asBoolean(true));
    }

    /** An entry in either layout (V2 {@code keys}/{@code insertion_order}, or World Info {@code key}/{@code order}). */
    private static Entry entry(JsonNode e) {
        JsonNode ext = e.path("extensions");
        boolean worldInfo = e.has("key") || e.has("uid");
        List<String> keys = strings(e.has("keys") ? e.get("keys") : e.path("key"));
        List<String> secondary = strings(e.has("secondary_keys") ? e.get("secondary_keys") : e.path("keysecondary"));
        boolean selective = e.path("selective").asBoolean(!secondary.isEmpty());
        int logic = e.has("selectiveLogic") ? e.path("selectiveLogic").asInt(0) : ext.path("selectiveLogic").asInt(0);
        Logic l = switch (logic) {
            case 1 -> Logic.NOT_ALL;
            case 2 -> Logic.NOT_ANY;
            case 3 -> Logic.AND_ALL;
            default -> Logic.AND_ANY;
        };
        boolean enabled = worldInfo ? !e.path("disable").asBoolean(false) : e.path("enabled").asBoolean(true);
        int order = e.has("insertion_order") ? e.get("insertion_order").asInt(100) : e.path("order").asInt(100);
        String position = e.path("position").asString("");
        Position p = position.equals("after_char") || position.equals("1") ? Position.AFTER_CHAR : Position.BEFORE_CHAR;
        JsonNode depth = first(e, ext, "scanDepth", "scan_depth");
        return new Entry(e.path("comment").asString(e.path("name").asString("")), keys,
                selective ? secondary : List.of(), l, e.path("content").asString(""), enabled,
                e.path("constant").asBoolean(false), order, e.path("priority").asInt(order),
                first(e, ext, "caseSensitive", "case_sensitive").asBoolean(false),
                first(e, ext, "matchWholeWords", "match_whole_words").asBoolean(true), p,
                depth.isNumber() ? depth.asInt() : null,
                first(e, ext, "excludeRecursion", "exclude_recursion").asBoolean(false),
                first(e, ext, "preventRecursion", "prevent_recursion").asBoolean(false),
                first(e, ext, "delayUntilRecursion", "delay_until_recursion").asBoolean(false));
    }

    private static JsonNode first(JsonNode e, JsonNode ext, String camel, String snake) {
        for (JsonNode n : new JsonNode[] {e.get(camel), e.get(snake), ext.get(camel), ext.get(snake)}) {
            if (n != null && !n.isNull()) {
                return n;
            }
        }
        return e.path(camel);
    }

    private static List<String> strings(@Nullable JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(v -> {
                if (!v.asString().isBlank()) {
                    out.add(v.asString());
                }
            });
        }
        return out;
    }

    /**
     * The entries {@code messages} (oldest first) activate, within the budget, in insertion order.
     *
     * @param tokens counts the tokens of a text (for the budget)
     */
    public List<Entry> activate(List<String> messages, ToIntFunction<String> tokens) {
        List<Entry> direct = new ArrayList<>();
        List<Entry> constant = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.enabled()) {
                continue;
            }
            if (e.constant()) {
                constant.add(e);
            } else if (!e.delayUntilRecursion() && matches(e, window(messages, e))) {
                direct.add(e);
            }
        }
        // budget: constant entries first, then direct hits, each by priority (higher first)
        Comparator<Entry> byPriority = Comparator.comparingInt(Entry::priority).reversed();
        constant.sort(byPriority);
        direct.sort(byPriority);
        Set<Entry> active = new LinkedHashSet<>();
        int[] used = {0};
        boolean full = !admit(constant, active, used, tokens) || !admit(direct, active, used, tokens);
        // recursion: what the activated entries say can activate more, until nothing new or the budget is spent
        for (int depth = 0; recursiveScanning && !full && depth < MAX_RECURSION; depth++) {
            StringBuilder said = new StringBuilder();
            for (Entry e : active) {
                if (!e.preventRecursion()) {
                    said.append(e.content()).append('\n');
                }
            }
            List<Entry> found = new ArrayList<>();
            for (Entry e : entries) {
                if (e.enabled() && !e.constant() && !active.contains(e) && !e.excludeRecursion()
                        && matches(e, said.toString())) {
                    found.add(e);
                }
            }
            if (found.isEmpty()) {
                break;
            }
            found.sort(byPriority);
            full = !admit(found, active, used, tokens);
        }
        List<Entry> ordered = new ArrayList<>(active);
        ordered.sort(Comparator.comparingInt(Entry::insertionOrder));
        return ordered;
    }

    /** Adds entries while they fit; false once one did not (the budget is spent: nothing more activates). */
    private boolean admit(List<Entry> candidates, Set<Entry> active, int[] used, ToIntFunction<String> tokens) {
        for (Entry e : candidates) {
            int cost = tokens.applyAsInt(e.content());
            if (used[0] + cost > tokenBudget) {
                return false;
            }
            used[0] += cost;
            active.add(e);
        }
        return true;
    }

    private String window(List<String> messages, Entry e) {
        int depth = e.scanDepth() != null ? e.scanDepth() : scanDepth;
        return String.join("\n", messages.subList(Math.max(0, messages.size() - depth), messages.size()));
    }

    private static boolean matches(Entry e, String text) {
        if (text.isEmpty() || e.keys().stream().noneMatch(k -> found(e, k, text))) {
            return false;
        }
        if (e.secondaryKeys().isEmpty()) {
            return true;
        }
        long hits = e.secondaryKeys().stream().filter(k -> found(e, k, text)).count();
        return switch (e.logic()) {
            case AND_ANY -> hits > 0;
            case AND_ALL -> hits == e.secondaryKeys().size();
            case NOT_ANY -> hits == 0;
            case NOT_ALL -> hits < e.secondaryKeys().size();
        };
    }

    /** A key in {@code text}: {@code /regex/flags}, or a word or phrase (whole words unless the entry says not). */
    static boolean found(Entry e, String key, String text) {
        if (key.length() > 2 && key.startsWith("/") && key.lastIndexOf('/') > 0) {
            int end = key.lastIndexOf('/');
            String flags = key.substring(end + 1);
            try {
                return Pattern.compile(key.substring(1, end), flags.contains("i") ? Pattern.CASE_INSENSITIVE
                        | Pattern.UNICODE_CASE : 0).matcher(text).find();
            } catch (PatternSyntaxException ignored) {
                // not a valid regex: a plain key after all
            }
        }
        String k = e.caseSensitive() ? key : key.toLowerCase(Locale.ROOT);
        String t = e.caseSensitive() ? text : text.toLowerCase(Locale.ROOT);
        if (!e.wholeWords()) {
            return t.contains(k);
        }
        for (int i = t.indexOf(k); i >= 0; i = t.indexOf(k, i + 1)) {
            boolean startOk = i == 0 || !Character.isLetterOrDigit(t.charAt(i - 1));
            int end = i + k.length();
            boolean endOk = end == t.length() || !Character.isLetterOrDigit(t.charAt(end));
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }
}
