package dev.tandem.web.console;

import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.CreatedInvitation;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.Invitation;
import dev.tandem.identity.Member;
import dev.tandem.identity.MemberRole;
import dev.tandem.identity.People;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * An organization's members: list, invite (the invitation link shown once), change roles, remove, revoke pending
 * invitations. The rules (owners only touch owners, the last owner stays) are {@link People}'s.
 */
@Controller
class MemberPages {

    private final ConsolePages pages;
    private final People people;

    MemberPages(ConsolePages pages, People people) {
        this.pages = pages;
        this.people = people;
    }

    /** A member as the page shows them. */
    record Row(String id, String name, String email, String role, String since, boolean you) {
    }

    /** A pending invitation as the page shows it. */
    record Pending(String id, String email, String role, String expires) {
    }

    @GetMapping("/console/orgs/{org}/members")
    String list(@PathVariable String org, HttpServletRequest request, Model model) {
        ConsoleSession s = pages.session(request);
        return page(s, pages.place(s, org, Permission.READ_MEMBERS), model);
    }

    @PostMapping("/console/orgs/{org}/members")
    String invite(@PathVariable String org, @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "viewer") String role, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return pages.form(request, response, model, org, Permission.MANAGE_MEMBERS, (place, m) -> {
            CreatedInvitation created = people.invite(place.id(), email, role(role), place.role(), place.actor());
            m.addAttribute("invitationLink", "/console/accept?token=" + created.token());
            m.addAttribute("notice", "Invitation for " + created.invitation().email() + " created. Send them the "
                    + "link below now: it is shown only this once and works for 7 days.");
        }, this::page);
    }

    @PostMapping("/console/orgs/{org}/members/{person}/role")
    String changeRole(@PathVariable String org, @PathVariable String person,
            @RequestParam(defaultValue = "") String role, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        return pages.form(request, response, model, org, Permission.MANAGE_MEMBERS, (place, m) -> {
            Member changed = people.changeRole(place.id(), person, role(role), place.role());
            m.addAttribute("notice", changed.person().name() + " is now " + changed.role().wire() + ".");
        }, this::page);
    }

    @PostMapping("/console/orgs/{org}/members/{person}/remove")
    String remove(@PathVariable String org, @PathVariable String person, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return pages.form(request, response, model, org, Permission.MANAGE_MEMBERS, (place, m) -> {
            people.remove(place.id(), person, place.role());
            m.addAttribute("notice", "Member removed.");
        }, (s, place, m) -> person.equals(s.person().id()) && m.getAttribute("error") == null
                ? "redirect:/console" : page(s, place, m));
    }

    @PostMapping("/console/orgs/{org}/invitations/{invitation}/revoke")
    String revokeInvitation(@PathVariable String org, @PathVariable String invitation, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        return pages.form(request, response, model, org, Permission.MANAGE_MEMBERS, (place, m) -> {
            if (!people.revokeInvitation(place.id(), invitation, place.role())) {
                throw new IdentityException(IdentityException.Reason.NOT_FOUND, "No pending invitation '"
                        + invitation + "' in this organization.", "invitation");
            }
            m.addAttribute("notice", "Invitation revoked.");
        }, this::page);
    }

    private String page(ConsoleSession s, ConsolePages.Place place, Model model) {
        pages.frame(model, s, place, "members");
        boolean manage = place.may(Permission.MANAGE_MEMBERS);
        model.addAttribute("mayManage", manage);
        model.addAttribute("roles", Arrays.stream(MemberRole.values())
                .filter(r -> r != MemberRole.OWNER || place.role() == MemberRole.OWNER).map(MemberRole::wire).toList());
        model.addAttribute("members", people.members(place.id()).stream().map(m -> new Row(m.person().id(),
                m.person().name(), m.person().email(), m.role().wire(), ConsolePages.time(m.since()),
                m.person().id().equals(s.person().id()))).toList());
        List<Invitation> pending = manage ? people.invitations(place.id()) : List.of();
        model.addAttribute("pending", pending.stream().map(i -> new Pending(i.id(), i.email(), i.role().wire(),
                ConsolePages.time(i.expiresAt()))).toList());
        return "console/members";
    }

    private static MemberRole role(String text) {
        try {
            return MemberRole.parse(text);
        } catch (IllegalArgumentException e) {
            throw IdentityException.invalid("role", e.getMessage());
        }
    }
}
