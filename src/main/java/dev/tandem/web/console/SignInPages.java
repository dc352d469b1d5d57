package dev.tandem.web.console;

import dev.tandem.gateway.ConsoleCookie;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.ConsoleSessions;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.Invitation;
import dev.tandem.identity.Member;
import dev.tandem.identity.Organizations;
import dev.tandem.identity.People;
import dev.tandem.identity.SignedIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Signing in and out, accepting an invitation, and one's account (the password). */
@Controller
class SignInPages {

    private final ConsolePages pages;
    private final ConsoleSessions sessions;
    private final ConsoleCookie cookie;
    private final People people;
    private final Organizations organizations;

    SignInPages(ConsolePages pages, ConsoleSessions sessions, ConsoleCookie cookie, People people,
            Organizations organizations) {
        this.pages = pages;
        this.sessions = sessions;
        this.cookie = cookie;
        this.people = people;
        this.organizations = organizations;
    }

    @GetMapping("/console/sign-in")
    String signInPage(HttpServletRequest request) {
        return cookie.session(request).isPresent() ? "redirect:/console" : "console/sign-in";
    }

    @PostMapping("/console/sign-in")
    String signIn(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        refuseForeignOrigin(request);
        try {
            SignedIn signedIn = sessions.signIn(email, password, request.getRemoteAddr(),
                    request.getHeader("user-agent"));
            cookie.open(request, response, signedIn);
            return "redirect:/console";
        } catch (IdentityException e) {
            ConsolePages.failed(response, model, e);
            if (e.retryAfter() != null) {
                response.setHeader("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            }
            model.addAttribute("email", email);
            return "console/sign-in";
        }
    }

    @PostMapping("/console/sign-out")
    String signOut(HttpServletRequest request, HttpServletResponse response) {
        pages.change(request);
        cookie.close(request, response);
        return "redirect:/console/sign-in";
    }

    @GetMapping("/console/accept")
    String acceptPage(@RequestParam(defaultValue = "") String token, HttpServletResponse response, Model model) {
        // the token is in the address: keep it out of Referer headers
        response.setHeader("Referrer-Policy", "no-referrer");
        return invitationPage(token, response, model);
    }

    @PostMapping("/console/accept")
    String accept(@RequestParam(defaultValue = "") String token, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String password, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        refuseForeignOrigin(request);
        response.setHeader("Referrer-Policy", "no-referrer");
        try {
            Member m = people.accept(token, name, password);
            SignedIn signedIn = sessions.signIn(m.person().email(), password, request.getRemoteAddr(),
                    request.getHeader("user-agent"));
            cookie.open(request, response, signedIn);
            return "redirect:/console";
        } catch (IdentityException e) {
            model.addAttribute("name", name);
            String page = invitationPage(token, response, model);
            ConsolePages.failed(response, model, e);
            return page;
        }
    }

    private String invitationPage(String token, HttpServletResponse response, Model model) {
        Optional<Invitation> invitation = people.pendingInvitation(token);
        if (invitation.isEmpty()) {
            response.setStatus(404);
            model.addAttribute("title", "Invitation not valid");
            model.addAttribute("message", "This invitation is not valid: it may have expired, been used or been "
                    + "revoked. Ask for a new one.");
            return "console/problem";
        }
        Invitation i = invitation.get();
        model.addAttribute("token", token);
        model.addAttribute("invitation", i);
        model.addAttribute("organization", organizations.find(i.organizationId()).map(o -> o.name()).orElse(""));
        model.addAttribute("existing", people.findByEmail(i.email()).isPresent());
        return "console/accept";
    }

    @GetMapping("/console/account")
    String account(HttpServletRequest request, Model model) {
        ConsoleSession s = pages.session(request);
        pages.frame(model, s, null, "account");
        return "console/account";
    }

    @PostMapping("/console/account/password")
    String changePassword(@RequestParam(name = "current_password", defaultValue = "") String current,
            @RequestParam(name = "new_password", defaultValue = "") String fresh, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        ConsoleSession s = pages.change(request);
        try {
            people.changePassword(s.person().id(), current, fresh, s.sessionId());
            model.addAttribute("notice", "Your password is changed; your other sessions have ended.");
        } catch (IdentityException e) {
            ConsolePages.failed(response, model, e);
        }
        pages.frame(model, s, null, "account");
        return "console/account";
    }

    private static void refuseForeignOrigin(HttpServletRequest request) {
        ConsoleCookie.foreignOrigin(request).ifPresent(problem -> {
            throw new ConsoleProblem(403, problem);
        });
    }
}
