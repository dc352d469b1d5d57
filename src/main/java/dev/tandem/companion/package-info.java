/**
 * The companion app: characters people create, share and chat with. So far: character cards — reading and
 * writing Character Card V1, V2 and V3 as JSON, as PNG ({@code chara} and {@code ccv3} text chunks) and as CHARX
 * (zip), unknown fields and extensions kept; long-term chat memory ({@code memory}: facts, summaries and notes,
 * recalled by similarity). Pages and chats are not built yet.
 */
@NullMarked
package dev.tandem.companion;

import org.jspecify.annotations.NullMarked;
