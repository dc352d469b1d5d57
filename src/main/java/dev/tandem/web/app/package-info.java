/**
 * The companion app's pages, served at {@code /}: feed, search, characters, chats (streamed replies), memories,
 * profile and personas. Server-rendered, text always escaped, a little JavaScript ({@code /assets/app.js}) for
 * streaming and swipes; every page works without it.
 */
@NullMarked
package dev.tandem.web.app;

import org.jspecify.annotations.NullMarked;
