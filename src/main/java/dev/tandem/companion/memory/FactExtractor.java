package dev.tandem.companion.memory;

import java.util.List;

/**
 * Finds what a person said about themselves in one of their own messages, as facts in the third person about
 * {@code {{user}}} ("I love hiking" gives "{{user}} loves hiking"). It is only ever given the person's text, never a
 * character's line. Implementations are thread-safe and return facts of at most {@value ChatMemory#MAX_CONTENT}
 * characters; an empty list when there are none.
 */
public interface FactExtractor {

    List<String> extract(String personText);
}
