package dev.tandem.web.app;

import dev.tandem.companion.Accounts;
import dev.tandem.companion.CompanionException;
import dev.tandem.companion.DataExport;
import dev.tandem.companion.Images;
import dev.tandem.companion.Profile;
import dev.tandem.gateway.ConsoleCookie;
import dev.tandem.identity.ConsoleSessions;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.SignedIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** Signing up, in and out; one's profile and personas; exporting one's data; closing one's account. */
@Controller
class AccountPages {

    private final AppContext context;
    private final Accounts accounts;
    private final ConsoleSessions sessions;
    private final ConsoleCookie cookie;
    private final Images images;
    private final DataExport export;

    AccountPages(AppContext context, Accounts accounts, ConsoleSessions sessions, ConsoleCookie cookie, Images images,
            DataExport export) {
        this.context = context;
        this.accounts = accounts;
        this.sessions = sessions;
        this.cookie = cookie;
        this.images = images;
        this.export = export;
    }

    @GetMapping("/sign-up")
    String signUpPage(HttpServletRequest request, Model model) {
        context.page(request, model, "Sign up");
        return "app/sign-up";
    }

    @PostMapping("/sign-up")
    String signUp(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String password, @RequestParam(name = "birth_date", defaultValue = "")
            String birthDate, @RequestParam(defaultValue = "") String handle, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        refuseForeign(request);
        try {
            accounts.signUp(email, name, password, birthDate, handle);
            SignedIn in = sessions.signIn(email, password, request.getRemoteAddr(), request.getHeader("user-agent"));
            cookie.open(request, response, in);
            return "redirect:/";
        } catch (CompanionException e) {
            response.setStatus(e.reason().status());
            context.page(request, model, "Sign up");
            model.addAttribute("error", e.getMessage());
            model.addAttribute("errorField", e.field());
            model.addAttribute("email", email);
            model.addAttribute("name", name);
            model.addAttribute("birthDate", birthDate);
            model.addAttribute("handle", handle);
            return "app/sign-up";
        }
    }

    @GetMapping("/sign-in")
    String signInPage(@RequestParam(defaultValue = "/") String next, HttpServletRequest request, Model model) {
        context.page(request, model, "Sign in");
        model.addAttribute("next", safeNext(next));
        return "app/sign-in";
    }

    @PostMapping("/sign-in")
    String signIn(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
            @RequestParam(defaultValue = "/") String next, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        refuseForeign(request);
        try {
            SignedIn in = sessions.signIn(email, password, request.getRemoteAddr(), request.getHeader("user-agent"));
            cookie.open(request, response, in);
            return "redirect:" + safeNext(next);
        } catch (IdentityException e) {
            response.setStatus(e.reason() == IdentityException.Reason.THROTTLED ? 429 : 401);
            context.page(request, model, "Sign in");
            model.addAttribute("error", e.getMessage());
            model.addAttribute("email", email);
            model.addAttribute("next", safeNext(next));
            return "app/sign-in";
        }
    }

    @PostMapping("/sign-out")
    String signOut(HttpServletRequest request, HttpServletResponse response) {
        context.session(request).ifPresent(s -> {
            context.person(request); // checks the CSRF token
            cookie.close(request, response);
        });
        return "redirect:/";
    }

    @GetMapping("/me")
    String me(HttpServletRequest request, Model model) {
        Profile me = context.person(request);
        context.page(request, model, "Your profile");
        model.addAttribute("profile", me);
        model.addAttribute("age", me.age(accounts.today()));
        model.addAttribute("personas", accounts.personas(me.personId()));
        return "app/me";
    }

    @PostMapping("/me")
    String updateProfile(@RequestParam(defaultValue = "") String bio,
            @RequestParam(required = false) MultipartFile avatar, HttpServletRequest request) throws IOException {
        Profile me = context.person(request);
        String avatarId = avatar == null || avatar.isEmpty() ? null
                : images.store(me.personId(), avatar.getBytes()).id();
        accounts.updateProfile(me.personId(), bio, avatarId);
        return "redirect:/me";
    }

    @PostMapping("/me/personas")
    String addPersona(@RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String description,
            @RequestParam(name = "default", defaultValue = "false") boolean makeDefault, HttpServletRequest request) {
        Profile me = context.person(request);
        accounts.addPersona(me.personId(), name, description, makeDefault);
        return "redirect:/me#personas";
    }

    @PostMapping("/me/personas/{id}")
    String updatePersona(@PathVariable String id, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String description,
            @RequestParam(name = "default", defaultValue = "false") boolean makeDefault, HttpServletRequest request) {
        Profile me = context.person(request);
        accounts.updatePersona(me.personId(), id, name, description, makeDefault);
        return "redirect:/me#personas";
    }

    @PostMapping("/me/personas/{id}/delete")
    String deletePersona(@PathVariable String id, HttpServletRequest request) {
        Profile me = context.person(request);
        accounts.deletePersona(me.personId(), id);
        return "redirect:/me#personas";
    }

    @GetMapping("/me/export")
    ResponseEntity<byte[]> exportData(HttpServletRequest request) {
        Profile me = context.person(request);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"tandem-" + me.handle() + ".json\"")
                .body(export.export(me.personId()));
    }

    @PostMapping("/me/delete")
    String deleteAccount(@RequestParam(defaultValue = "") String password, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        Profile me = context.person(request);
        try {
            sessions.signIn(me.email(), password, request.getRemoteAddr(), request.getHeader("user-agent"));
        } catch (IdentityException e) {
            throw new CompanionException(CompanionException.Reason.FORBIDDEN,
                    "The password is not correct; your account was not deleted.", "password");
        }
        export.deleteAccount(me.personId());
        cookie.close(request, response);
        return "redirect:/?deleted";
    }

    private static void refuseForeign(HttpServletRequest request) {
        ConsoleCookie.foreignOrigin(request).ifPresent(problem -> {
            throw new CompanionException(CompanionException.Reason.FORBIDDEN, problem, null);
        });
    }

    /** Only a path on this site: never an address elsewhere. */
    static String safeNext(String next) {
        return next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") ? next : "/";
    }
}
