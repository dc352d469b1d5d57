/**
 * Pages: the companion app at {@code /} and the developer console (sign-in, organizations, API keys, members,
 * usage) at {@code /console}, server-rendered with escaped
 * templates and htmx. Uses the other modules' APIs only; it offers none of its own.
 */
@NullMarked
package dev.tandem.web;

import org.jspecify.annotations.NullMarked;
