package dev.tandem.companion.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Deterministic extraction of what a person says about themselves, by rule, with no model:
 * <ol>
 * <li>The text is split into sentences (after {@code . ! ?} and at line breaks); curly apostrophes become
 * straight ones; openers such as "well,", "oh", "lol", "yes," and "by the way" are dropped, as is a trailing tag
 * question (", do you?", ", and you?", ", what about you?").</li>
 * <li>Questions (ending in "?"), sentences over {@value #MAX_SENTENCE} characters and every sentence that does not
 * open with one of these forms are skipped — which skips imperatives, small talk ("lol", "ok") and remarks about
 * anything but the person:
 * <ul>
 * <li>"I am …", "I'm …" → "{{user}} is …", except passing states and chat moves ("I'm fine", "I'm so tired",
 * "I'm sorry", "I'm going to …", "I'm not sure");</li>
 * <li>"I was born …" → "{{user}} was born …";</li>
 * <li>"I have …", "I've …" → "{{user}} has …", except "have to", "have a question", "have no idea";</li>
 * <li>"I [adverbs] [don't | do not | do | can't] VERB …" for VERB in like, love, hate, prefer, enjoy, adore,
 * dislike, live, work, study, want, speak, play, own, collect, teach, drive, support, miss, watch, read, eat,
 * drink, grew up, moved, used to, met, started and (after can't) stand → "{{user}} [adverbs] [doesn't | does not |
 * does | can't] VERB(s) …";</li>
 * <li>"My X …" (at least two more words) → "{{user}}'s X …", except "my god", "my bad" and the like;</li>
 * <li>"Call me X", "you can call me X" → "{{user}} wants to be called X".</li>
 * </ul></li>
 * <li>In the rest of the sentence I, me, my, mine and myself become they, them, their, theirs and themselves, and
 * you, your and yours become {@code {{char}}} and {@code {{char}}'s}; the closing punctuation goes.</li>
 * </ol>
 * "I love hiking in the Alps" gives "{{user}} loves hiking in the Alps"; "My sister is called Mia" gives
 * "{{user}}'s sister is called Mia". Stateless and thread-safe.
 */
public final class SelfDisclosureExtractor implements FactExtractor {

    /** Longer sentences are skipped: run-ons rarely make a clean fact. */
    public static final int MAX_SENTENCE = 300;

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?…])\\s+|\\s*[\\r\\n]+\\s*");
    private static final Pattern OPENERS = Pattern.compile("^(?:(?:well|oh|so|and|but|also|actually|honestly|"
            + "anyway|btw|by the way|fun fact|fyi|haha+|hehe+|lol|lmao|yeah|yes|yep|yup|no|nope|nah|ok|okay|um+|uh+|"
            + "hmm+)\\b[\\s,!:;.\\-–—]*)+", FLAGS);
    private static final Pattern TAG_QUESTION = Pattern.compile("(?:,\\s*|\\s+)(?:(?:and|do|don't|what about|how "
            + "about)\\s+)?(?:you|u)\\s*\\?+$|(?:,\\s*|\\s+)(?:wbu|hbu)\\s*\\?*$", FLAGS);
    private static final Pattern CLOSING = Pattern.compile("[\\s.!…,;:]+$");
    private static final Pattern CALL_ME = Pattern.compile("^(?:(?:you can|you may|please|just)\\s+)*call me\\s+(.+)$",
            FLAGS);
    private static final Pattern BORN = Pattern.compile("^i\\s+was\\s+born\\s+(.+)$", FLAGS);
    private static final Pattern AM = Pattern.compile("^(?:i\\s+am|i'm|im)\\s+(.+)$", FLAGS);
    private static final Pattern HAVE = Pattern.compile("^(?:i\\s+have|i've|ive)\\s+(.+)$", FLAGS);
    private static final Pattern MY = Pattern.compile("^my\\s+(.+)$", FLAGS);
    private static final Pattern NOT_HAD = Pattern.compile("^(?:to|got to|gotta|a question|no idea|an idea|no clue|"
            + "a feeling|nothing)\\b", FLAGS);
    private static final Pattern INTENSIFIERS = Pattern.compile("^(?:(?:so|really|very|just|totally|a bit|kinda|"
            + "pretty|quite|too|a little|super)\\s+)+", FLAGS);
    private static final Pattern PASSING = Pattern.compile("^(?:going to|gonna|about to|sorry|glad|kidding|joking|"
            + "not sure|sure|wondering|thinking|trying|looking for|here to|back|on my way)\\b", FLAGS);
    private static final Set<String> MOMENTARY = Set.of("fine", "ok", "okay", "good", "great", "alright",
            "all right", "here", "there", "done", "in", "out", "ready", "lost", "confused", "bored", "tired", "sleepy",
            "hungry", "sad", "happy", "excited", "curious", "serious", "busy", "annoyed", "angry", "well", "home");
    private static final Set<String> EXCLAMATIONS = Set.of("god", "gosh", "goodness", "bad", "pleasure", "turn",
            "lord", "word", "apologies", "dude", "man");
    private static final Set<String> ADVERBS = Set.of("really", "absolutely", "totally", "also", "truly", "still",
            "actually", "genuinely", "honestly", "just", "kinda", "sorta", "never", "always", "usually", "often",
            "mostly", "currently", "now", "definitely", "secretly", "both");
    private static final Map<String, String> VERBS = Map.ofEntries(Map.entry("like", "likes"),
            Map.entry("love", "loves"), Map.entry("hate", "hates"), Map.entry("prefer", "prefers"),
            Map.entry("enjoy", "enjoys"), Map.entry("adore", "adores"), Map.entry("dislike", "dislikes"),
            Map.entry("live", "lives"), Map.entry("work", "works"), Map.entry("study", "studies"),
            Map.entry("want", "wants"), Map.entry("speak", "speaks"), Map.entry("play", "plays"),
            Map.entry("own", "owns"), Map.entry("collect", "collects"), Map.entry("teach", "teaches"),
            Map.entry("drive", "drives"), Map.entry("support", "supports"), Map.entry("miss", "misses"),
            Map.entry("watch", "watches"), Map.entry("read", "reads"), Map.entry("eat", "eats"),
            Map.entry("drink", "drinks"), Map.entry("grew", "grew"), Map.entry("moved", "moved"),
            Map.entry("used", "used"), Map.entry("met", "met"), Map.entry("started", "started"));
    private static final Set<String> PAST = Set.of("grew", "moved", "used", "met", "started");
    private static final Pattern PRONOUNS = Pattern.compile("\\b(?:i am|i'm|i was|i've|i'd|i'll|i|me|my|mine|myself|"
            + "you're|you are|yourself|yours|your|you)\\b", FLAGS);
    private static final Map<String, String> THIRD_PERSON = Map.ofEntries(Map.entry("i am", "they are"),
            Map.entry("i'm", "they're"), Map.entry("i was", "they were"), Map.entry("i've", "they've"),
            Map.entry("i'd", "they'd"), Map.entry("i'll", "they'll"), Map.entry("i", "they"),
            Map.entry("me", "them"), Map.entry("my", "their"), Map.entry("mine", "theirs"),
            Map.entry("myself", "themselves"), Map.entry("you're", "{{char}} is"),
            Map.entry("you are", "{{char}} is"), Map.entry("yourself", "{{char}}"),
            Map.entry("yours", "{{char}}'s"), Map.entry("your", "{{char}}'s"), Map.entry("you", "{{char}}"));

    @Override
    public List<String> extract(String personText) {
        List<String> facts = new ArrayList<>();
        for (String raw : SENTENCES.split(personText.replace('’', '\'').replace('‘', '\''))) {
            String fact = fact(raw.strip());
            if (fact != null && !facts.contains(fact)) {
                facts.add(fact);
            }
        }
        return facts;
    }

    /** The fact one sentence states, or null. */
    static @Nullable String fact(String sentence) {
        String s = OPENERS.matcher(sentence).replaceFirst("");
        s = TAG_QUESTION.matcher(s).replaceFirst("");
        if (s.endsWith("?") || s.length() > MAX_SENTENCE) {
            return null;
        }
        s = CLOSING.matcher(s).replaceFirst("");
        Matcher m;
        if ((m = CALL_ME.matcher(s)).matches()) {
            return "{{user}} wants to be called " + thirdPerson(m.group(1));
        }
        if ((m = BORN.matcher(s)).matches()) {
            return "{{user}} was born " + thirdPerson(m.group(1));
        }
        if ((m = AM.matcher(s)).matches()) {
            String complement = INTENSIFIERS.matcher(m.group(1)).replaceFirst("").toLowerCase(Locale.ROOT);
            boolean passing = MOMENTARY.contains(complement) || PASSING.matcher(complement).find();
            return passing ? null : "{{user}} is " + thirdPerson(m.group(1));
        }
        if ((m = HAVE.matcher(s)).matches()) {
            return NOT_HAD.matcher(m.group(1)).find() ? null : "{{user}} has " + thirdPerson(m.group(1));
        }
        if ((m = MY.matcher(s)).matches()) {
            String[] words = m.group(1).split("\\s+");
            boolean exclamation = EXCLAMATIONS.contains(words[0].toLowerCase(Locale.ROOT).replaceAll("\\W+$", ""));
            return words.length < 2 || exclamation ? null : "{{user}}'s " + thirdPerson(m.group(1));
        }
        return verbSentence(s.split("\\s+"));
    }

    /** "I [adverbs] [auxiliary] [adverbs] VERB rest" → "{{user}} [adverbs] [auxiliary'] [adverbs] VERB(s) rest". */
    private static @Nullable String verbSentence(String[] w) {
        if (!w[0].equalsIgnoreCase("i")) {
            return null;
        }
        StringBuilder out = new StringBuilder("{{user}}");
        @Nullable String auxiliary = null;
        int i = 1;
        for (; i < w.length; i++) {
            String word = w[i].toLowerCase(Locale.ROOT);
            if (ADVERBS.contains(word)) {
                out.append(' ').append(w[i]);
                continue;
            }
            boolean next = i + 1 < w.length;
            String found;
            if (auxiliary != null) {
                break;
            } else if (word.equals("don't") || word.equals("dont")) {
                found = "doesn't";
            } else if (word.equals("do") && next && w[i + 1].equalsIgnoreCase("not")) {
                found = "does not";
                i++;
            } else if (word.equals("do")) {
                found = "does";
            } else if ((word.equals("can't") || word.equals("cant") || word.equals("cannot")) && next
                    && w[i + 1].equalsIgnoreCase("stand")) {
                found = "can't";
            } else {
                break;
            }
            auxiliary = found;
            out.append(' ').append(found);
        }
        if (i >= w.length - 1) {
            return null; // no verb, or a verb with nothing after it
        }
        String verb = w[i].toLowerCase(Locale.ROOT);
        boolean stand = "can't".equals(auxiliary) && verb.equals("stand");
        if (!stand && (!VERBS.containsKey(verb) || (auxiliary != null && PAST.contains(verb)))) {
            return null;
        }
        if (verb.equals("grew") && !w[i + 1].equalsIgnoreCase("up") || verb.equals("used")
                && !w[i + 1].equalsIgnoreCase("to")) {
            return null;
        }
        out.append(' ').append(auxiliary == null ? VERBS.get(verb) : verb);
        String rest = String.join(" ", Arrays.copyOfRange(w, i + 1, w.length));
        return out.append(' ').append(thirdPerson(rest)).toString();
    }

    /** The person's words about themselves, as words about them; "you" is the character. */
    static String thirdPerson(String text) {
        Matcher m = PRONOUNS.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String with = THIRD_PERSON.get(m.group().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
            m.appendReplacement(out, Matcher.quoteReplacement(with == null ? m.group() : with));
        }
        m.appendTail(out);
        return out.toString();
    }
}
