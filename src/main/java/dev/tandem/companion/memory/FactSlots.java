package dev.tandem.companion.memory;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stored fact is about, where a newer fact about the same thing replaces it (mem0's "update"): the facts
 * {@link SelfDisclosureExtractor} writes that hold one value at a time. "{{user}} lives in York" replaces "{{user}}
 * lives in Leeds" (and "{{user}} moved to York" does too); "{{user}}'s favourite colour is green" replaces "… is
 * blue"; "{{user}} hates coffee" replaces "{{user}} loves coffee"; "{{user}} is 35" replaces "{{user}} is 34". Facts
 * that may hold many values at once ("{{user}} has a dog", "{{user}} is a runner", "{{user}} loves hiking" beside
 * "… loves chess") have no slot and are only de-duplicated.
 */
final class FactSlots {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final String ADVERBS = "(?:(?:really|absolutely|totally|also|truly|still|actually|genuinely|"
            + "honestly|just|kinda|sorta|never|always|usually|often|mostly|currently|now|definitely|secretly)\\s+)*";
    private static final Pattern CALLED = Pattern.compile("^\\{\\{user}} wants to be called .+", FLAGS);
    private static final Pattern LIVES = Pattern.compile("^\\{\\{user}} " + ADVERBS + "(?:lives in|moved to) .+",
            FLAGS);
    private static final Pattern WORKS = Pattern.compile("^\\{\\{user}} " + ADVERBS + "works (as|at|for) .+", FLAGS);
    private static final Pattern FROM = Pattern.compile("^\\{\\{user}} is " + ADVERBS + "from .+", FLAGS);
    private static final Pattern AGE = Pattern.compile("^\\{\\{user}} is (?:now\\s+)?\\d{1,3}(?: years? old)?$",
            FLAGS);
    private static final Pattern POSSESSION = Pattern.compile("^\\{\\{user}}'s ((?:\\S+\\s+){0,3}?\\S+) (?:is|are) "
            + "(called |named |an? )?.+", FLAGS);
    private static final Pattern FEELING = Pattern.compile("^\\{\\{user}} " + ADVERBS + "(?:(?:does not|doesn't|"
            + "can't) )?" + ADVERBS + "(?:likes?|loves?|enjoys?|adores?|hates?|dislikes?|prefers?|stand) (.+)$", FLAGS);
    private static final Set<String> NOT_ABOUT_ONE_THING = Set.of("it", "that", "this", "them", "to", "it all");
    private static final Pattern LATELY = Pattern.compile("(?:\\s+(?:now|anymore|any more|these days|lately|"
            + "nowadays|again|too|as well|a lot|so much|very much))+$", FLAGS);

    private FactSlots() {
    }

    /** The slot the fact fills, or empty when it is one of many. */
    static Optional<String> of(String fact) {
        String f = fact.strip().replaceAll("[.!…]+$", "");
        Matcher m;
        if (CALLED.matcher(f).matches()) {
            return Optional.of("called");
        }
        if (LIVES.matcher(f).matches()) {
            return Optional.of("lives in");
        }
        if ((m = WORKS.matcher(f)).matches()) {
            return Optional.of("works " + m.group(1).toLowerCase(Locale.ROOT));
        }
        if (FROM.matcher(f).matches()) {
            return Optional.of("is from");
        }
        if (AGE.matcher(f).matches()) {
            return Optional.of("age");
        }
        if ((m = POSSESSION.matcher(f)).matches()) {
            String what = m.group(2) == null ? "" : m.group(2).strip().toLowerCase(Locale.ROOT);
            String kind = what.startsWith("a") ? "a" : what;
            return Optional.of("'s " + m.group(1).toLowerCase(Locale.ROOT) + " is" + (kind.isEmpty() ? "" : " " + kind));
        }
        if ((m = FEELING.matcher(f)).matches()) {
            String object = LATELY.matcher(m.group(1).toLowerCase(Locale.ROOT).strip()).replaceFirst("");
            if (NOT_ABOUT_ONE_THING.contains(object) || object.split("\\s+").length > 6) {
                return Optional.empty();
            }
            return Optional.of("feels about " + object);
        }
        return Optional.empty();
    }
}
