package dev.tandem.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers for every page, the console's and the companion app's: a content security policy that allows only this
 * site's own scripts and styles (no inline script can run, even if some text slipped through unescaped), no
 * framing, no MIME sniffing, and no caching of pages (they show secrets and private chats). The API, static
 * assets and uploaded pictures (immutable, cached by their own headers) are left alone.
 */
@Component
class PageHeaders extends OncePerRequestFilter {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/v1/") || path.startsWith("/anthropic/") || path.startsWith("/assets/")
                || path.startsWith("/webjars/") || path.startsWith("/images/") || path.equals("/metrics")
                || path.startsWith("/health") || path.equals("/readyz") || path.equals("/livez");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-store");
        chain.doFilter(request, response);
    }
}
