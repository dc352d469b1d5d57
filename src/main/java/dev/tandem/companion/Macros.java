package dev.tandem.companion;

import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SillyTavern's prompt macros, case-insensitive: {@code {{char}}} and {@code <BOT>} (the character's nickname or
 * name), {@code {{user}}} and {@code <USER>} (the persona's name), {@code {{description}}}, {@code {{personality}}},
 * {@code {{scenario}}}, {@code {{persona}}}, {@code {{mesExamples}}}, {@code {{original}}} (what a card's own
 * system prompt replaces), {@code {{random::a::b}}} / {@code {{random:a,b}}}, and {@code {{// comments}}}, which
 * vanish. Values are inserted as they are (a value's own braces are not expanded again); unknown macros stay.
 */
public final class Macros {

    private static final Pattern MACRO = Pattern.compile("\\{\\{(.*?)}}|<(BOT|USER)>", Pattern.CASE_INSENSITIVE
            | Pattern.DOTALL);

    private Macros() {
    }

    /**
     * Expands {@code text}.
     *
     * @param values macro name (lower case) → value: {@code char}, {@code user}, {@code description}, …
     * @param random picks for {@code {{random}}}
     */
    public static String expand(String text, Map<String, String> values, RandomGenerator random) {
        Matcher m = MACRO.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        while (m.find()) {
            String replacement;
            if (m.group(2) != null) {
                replacement = values.getOrDefault(m.group(2).equalsIgnoreCase("BOT") ? "char" : "user", m.group());
            } else {
                String inner = m.group(1).strip();
                String lower = inner.toLowerCase(Locale.ROOT);
                if (lower.startsWith("//")) {
                    replacement = "";
                } else if (lower.startsWith("random::") || lower.startsWith("random:")) {
                    String list = inner.substring(inner.indexOf(':') + (lower.startsWith("random::") ? 2 : 1));
                    String[] options = list.contains("::") ? list.split("::") : list.split(",");
                    replacement = options[random.nextInt(options.length)].strip();
                } else {
                    replacement = values.getOrDefault(lower.equals("mesexamples") ? "mesexamples" : lower, m.group());
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
