/**
 * Long-term memory of companion chats: facts the person told about themselves (extracted from their own messages
 * only, rewritten to third person about {@code {{user}}}), summaries a model wrote, and notes the person wrote;
 * each embedded with all-MiniLM-L6-v2 and recalled by cosine similarity, pinned ones always. Character lines are
 * never stored: a companion that recalls its own words falls into repetition loops. The entry point is
 * {@link dev.tandem.companion.memory.ChatMemory}, exposed to the app's pages as the named interface {@code memory}.
 */
@NullMarked
@NamedInterface("memory")
package dev.tandem.companion.memory;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
