/**
 * The management API of the companion app's economy that lives beside the pages: card sets and banners
 * ({@code /v1/admin/cards}, {@code /v1/admin/banners}), platform admin only, framed by the gateway's
 * {@link dev.tandem.gateway.ManagementCalls} (authentication, CSRF, errors in OpenAI's shape).
 */
@NullMarked
package dev.tandem.web.admin;

import org.jspecify.annotations.NullMarked;
