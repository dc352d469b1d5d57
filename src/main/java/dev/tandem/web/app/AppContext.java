package dev.tandem.web.app;

import dev.tandem.companion.Accounts;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.Profile;
import dev.tandem.companion.Viewer;
import dev.tandem.gateway.ConsoleCookie;
import dev.tandem.identity.ConsoleSession;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * Who is using the app in a request (the sign-in session of the cookie the console uses too), and the checks
 * every page that changes something makes: a session, its CSRF token, and no foreign origin.
 */
@Component
class AppContext {

    private final ConsoleCookie cookie;
    private final Accounts accounts;

    AppContext(ConsoleCookie cookie, Accounts accounts) {
        this.cookie = cookie;
        this.accounts = accounts;
    }

    Optional<ConsoleSession> session(HttpServletRequest request) {
        Object cached = request.getAttribute(AppContext.class.getName());
        if (cached instanceof ConsoleSession s) {
            return Optional.of(s);
        }
        Optional<ConsoleSession> s = cookie.session(request);
        s.ifPresent(v -> request.setAttribute(AppContext.class.getName(), v));
        return s;
    }

    Viewer viewer(HttpServletRequest request) {
        return accounts.viewer(session(request).map(s -> s.person().id()).orElse(null));
    }

    /** The signed-in person with an app profile; for a change, the request's CSRF token is checked too. */
    Profile person(HttpServletRequest request) {
        ConsoleSession s = session(request).orElseThrow(() -> new CompanionException(
                CompanionException.Reason.UNAUTHENTICATED, "Sign in first.", null));
        ConsoleCookie.csrfProblem(request, s).ifPresent(problem -> {
            throw new CompanionException(CompanionException.Reason.FORBIDDEN, problem, null);
        });
        return accounts.profile(s.person().id()).orElseThrow(() -> new CompanionException(
                CompanionException.Reason.UNAUTHENTICATED, "This account has no app profile yet: sign up.", null));
    }

    /** What every page's layout needs: the person (or null) and the CSRF token for its forms. */
    void page(HttpServletRequest request, Model model, String title) {
        model.addAttribute("title", title);
        Optional<ConsoleSession> s = session(request);
        model.addAttribute("me", s.flatMap(x -> accounts.profile(x.person().id())).orElse(null));
        model.addAttribute("csrf", s.map(ConsoleSession::csrfToken).orElse(null));
        model.addAttribute("teen", viewer(request).teen());
    }
}
