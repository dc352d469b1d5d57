/**
 * The companion app's pages, served at {@code /}: feed, search, characters, chats (streamed replies), memories,
 * profile and personas; the shop (web checkout through Stripe), purchase history, spending limits and membership;
 * the gem wallet with check-in, banners with 1- and 10-pulls, odds, draw history and verification, fairness,
 * collection, cards and card sets.
 * Server-rendered, text always escaped, a little JavaScript ({@code /assets/app.js}) for streaming and swipes; every
 * page works without it.
 */
@NullMarked
package dev.tandem.web.app;

import org.jspecify.annotations.NullMarked;
