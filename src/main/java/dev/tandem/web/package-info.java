/**
 * Pages: the companion app at {@code /} (with its shop, purchases, spending limits and membership) and the
 * developer console (sign-in, organizations, API keys, members, usage) at {@code /console}, server-rendered with
 * escaped templates and htmx; the store's endpoints for the native app and the stores at {@code /store}. Uses the
 * other modules' APIs only; it offers none of its own.
 */
@NullMarked
package dev.tandem.web;

import org.jspecify.annotations.NullMarked;
