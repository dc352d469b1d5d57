package dev.tandem.web.console;

import dev.tandem.gateway.ConsoleCookie;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.MemberRole;
import dev.tandem.identity.Membership;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Organizations;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What every console page shares: the signed-in person (from the session cookie), the CSRF and Origin checks for
 * forms, the organization a page is about and the role the person acts with there (the same rules as the
 * management API: no part in it looks like it does not exist, a role without the permission is refused), the
 * organization switcher, and errors shown on the page they came from.
 */
@Component
class ConsolePages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final ConsoleCookie cookie;
    private final Organizations organizations;

    ConsolePages(ConsoleCookie cookie, Organizations organizations) {
        this.cookie = cookie;
        this.organizations = organizations;
    }

    /** An organization a page is about, and as what the person acts there. */
    record Place(Organization organization, MemberRole role, String actor) {
        String id() {
            return organization.id();
        }

        boolean may(Permission permission) {
            return role.permits(permission);
        }
    }

    /** One entry of the organization switcher; {@code path} is the first page the role may open. */
    record OrgLink(String id, String name, String role, String path) {
        static OrgLink of(String id, String name, MemberRole role, String label) {
            return new OrgLink(id, name, label, "/console/orgs/" + id + (role.permits(Permission.READ_KEYS) ? "/keys"
                    : "/usage"));
        }
    }

    /** The signed-in person of a page view. */
    ConsoleSession session(HttpServletRequest request) {
        return cookie.session(request).orElseThrow(SignInRequired::new);
    }

    /** The signed-in person of a form post, after the CSRF and Origin checks. */
    ConsoleSession change(HttpServletRequest request) {
        ConsoleSession s = session(request);
        ConsoleCookie.csrfProblem(request, s).ifPresent(problem -> {
            throw new ConsoleProblem(403, problem);
        });
        return s;
    }

    /** The organization {@code org}, which the person may act on with {@code permission}. */
    Place place(ConsoleSession s, String org, Permission permission) {
        Organization o = organizations.find(org).orElseThrow(() -> notFound(org));
        MemberRole role = s.actingRoleIn(o.id()).orElseThrow(() -> notFound(org));
        if (!role.permits(permission)) {
            String roles = MemberRole.rolesWith(permission);
            throw new ConsoleProblem(403, "Your role in " + o.name() + " (" + role.wire() + ") may not do this; it "
                    + "needs one of: " + roles + ".");
        }
        return new Place(o, role, s.person().id());
    }

    private static ConsoleProblem notFound(String org) {
        return new ConsoleProblem(404, "There is no organization '" + org + "' that you belong to.");
    }

    /** The organizations the person can open: theirs, and every one for a platform admin. */
    List<OrgLink> organizationsOf(ConsoleSession s) {
        List<OrgLink> links = new ArrayList<>();
        for (Membership m : s.memberships()) {
            links.add(OrgLink.of(m.organizationId(), m.organizationName(), m.role(), m.role().wire()));
        }
        if (s.platformAdmin()) {
            for (Organization o : organizations.list()) {
                if (links.stream().noneMatch(l -> l.id().equals(o.id()))) {
                    links.add(OrgLink.of(o.id(), o.name(), MemberRole.OWNER, "platform admin"));
                }
            }
        }
        return links;
    }

    /** The attributes of the page frame: person, CSRF token, switcher, current organization. */
    void frame(Model model, ConsoleSession s, @Nullable Place place, String section) {
        model.addAttribute("person", s.person());
        model.addAttribute("csrf", s.csrfToken());
        model.addAttribute("orgs", organizationsOf(s));
        model.addAttribute("section", section);
        model.addAttribute("platformAdmin", s.platformAdmin());
        if (place != null) {
            model.addAttribute("org", place.organization());
            model.addAttribute("role", place.role().wire());
        }
    }

    /** What a form does in an organization; its refusals ({@link IdentityException}) are shown on the page. */
    @FunctionalInterface
    interface Action {
        void run(Place place, Model model);
    }

    /** The page a form answers with. */
    @FunctionalInterface
    interface View {
        String render(ConsoleSession session, Place place, Model model);
    }

    /**
     * Handles a form post about organization {@code org}: the CSRF checks, the permission, the action, and the
     * page again with its notice, or with the action's error and status.
     */
    String form(HttpServletRequest request, HttpServletResponse response, Model model, String org,
            Permission permission, Action action, View view) {
        ConsoleSession s = change(request);
        Place place = place(s, org, permission);
        try {
            action.run(place, model);
        } catch (IdentityException e) {
            failed(response, model, e);
        }
        return view.render(s, place, model);
    }

    /** Shows a failed action's message on the page and answers with the matching status. */
    static void failed(HttpServletResponse response, Model model, RuntimeException e) {
        int status = e instanceof IdentityException ie ? switch (ie.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
            case UNAUTHENTICATED -> 401;
            case THROTTLED -> 429;
        } : 400;
        response.setStatus(status);
        model.addAttribute("error", e.getMessage());
    }

    static String time(@Nullable Long epochMillis) {
        return epochMillis == null ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
