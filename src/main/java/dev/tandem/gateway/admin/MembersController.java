package dev.tandem.gateway.admin;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.Fields;
import dev.tandem.identity.CreatedInvitation;
import dev.tandem.identity.Invitation;
import dev.tandem.identity.Member;
import dev.tandem.identity.MemberRole;
import dev.tandem.identity.People;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Members of an organization and invitations to it. Everyone in the organization may list them; owners and
 * admins (and admin API keys, which act as owners) invite, change roles and remove; only owners touch the owner
 * role, and the last owner stays.
 */
@RestController
class MembersController {

    private final ManagementAuth auth;
    private final People people;
    private final Clock clock;

    MembersController(ManagementAuth auth, People people, Clock clock) {
        this.auth = auth;
        this.people = people;
        this.clock = clock;
    }

    @GetMapping("/v1/admin/organizations/{org}/members")
    void list(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.READ_MEMBERS);
            auth.sendList(ex, people.members(a.id()), MembersController::writeMember);
        });
    }

    @PostMapping("/v1/admin/organizations/{org}/members")
    void invite(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.MANAGE_MEMBERS);
            JsonNode body = auth.body(ex);
            String email = Fields.requiredString(body, "email", "email");
            MemberRole role = role(body);
            CreatedInvitation created = people.invite(a.id(), email, role, a.role(), a.actor());
            auth.send(ex, 201, g -> writeInvitation(g, created.invitation(), created.token()));
        });
    }

    @GetMapping("/v1/admin/organizations/{org}/members/{person}")
    void get(@PathVariable String org, @PathVariable String person, HttpServletRequest request,
            HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.READ_MEMBERS);
            Member m = people.member(a.id(), person).orElseThrow(() -> noMember(person));
            auth.send(ex, 200, g -> writeMember(g, m));
        });
    }

    @PatchMapping("/v1/admin/organizations/{org}/members/{person}")
    void changeRole(@PathVariable String org, @PathVariable String person, HttpServletRequest request,
            HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.MANAGE_MEMBERS);
            MemberRole role = role(auth.body(ex));
            Member m = people.changeRole(a.id(), person, role, a.role());
            auth.send(ex, 200, g -> writeMember(g, m));
        });
    }

    @DeleteMapping("/v1/admin/organizations/{org}/members/{person}")
    void remove(@PathVariable String org, @PathVariable String person, HttpServletRequest request,
            HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.MANAGE_MEMBERS);
            people.remove(a.id(), person, a.role());
            auth.send(ex, 200, g -> deleted(g, "organization.member.deleted", person));
        });
    }

    @GetMapping("/v1/admin/organizations/{org}/invitations")
    void invitations(@PathVariable String org, HttpServletRequest request, HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.READ_MEMBERS);
            auth.sendList(ex, people.invitations(a.id()), (g, i) -> writeInvitation(g, i, null));
        });
    }

    @DeleteMapping("/v1/admin/organizations/{org}/invitations/{invitation}")
    void revokeInvitation(@PathVariable String org, @PathVariable String invitation, HttpServletRequest request,
            HttpServletResponse response) {
        auth.handle(request, response, ex -> {
            ManagementAuth.Access a = auth.organization(ex, org, Permission.MANAGE_MEMBERS);
            if (!people.revokeInvitation(a.id(), invitation, a.role())) {
                throw new ApiError(ErrorKind.NOT_FOUND, "No pending invitation '" + invitation
                        + "' in this organization.", "invitation", null);
            }
            auth.send(ex, 200, g -> deleted(g, "organization.invitation.deleted", invitation));
        });
    }

    private static MemberRole role(JsonNode body) {
        String text = Fields.requiredString(body, "role", "role");
        try {
            return MemberRole.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("role: " + e.getMessage(), "role");
        }
    }

    private static ApiError noMember(String person) {
        return new ApiError(ErrorKind.NOT_FOUND, "No member '" + person + "' in this organization.", "person", null);
    }

    static void writeMember(JsonGenerator g, Member m) {
        g.writeStartObject();
        g.writeStringProperty("object", "organization.member");
        g.writeStringProperty("id", m.person().id());
        g.writeStringProperty("organization_id", m.organizationId());
        g.writeStringProperty("email", m.person().email());
        g.writeStringProperty("name", m.person().name());
        g.writeStringProperty("role", m.role().wire());
        g.writeNumberProperty("added_at", m.since() / 1000);
        g.writeEndObject();
    }

    private void writeInvitation(JsonGenerator g, Invitation i, @Nullable String token) {
        g.writeStartObject();
        g.writeStringProperty("object", "organization.invitation");
        g.writeStringProperty("id", i.id());
        g.writeStringProperty("organization_id", i.organizationId());
        g.writeStringProperty("email", i.email());
        g.writeStringProperty("role", i.role().wire());
        g.writeStringProperty("status", i.status(clock.millis()));
        g.writeStringProperty("invited_by", i.invitedBy());
        g.writeNumberProperty("created_at", i.createdAt() / 1000);
        g.writeNumberProperty("expires_at", i.expiresAt() / 1000);
        if (token != null) {
            g.writeStringProperty("token", token);
            g.writeStringProperty("accept_path", "/console/accept?token=" + token);
        }
        g.writeEndObject();
    }

    private static void deleted(JsonGenerator g, String object, String id) {
        g.writeStartObject();
        g.writeStringProperty("object", object);
        g.writeStringProperty("id", id);
        g.writeBooleanProperty("deleted", true);
        g.writeEndObject();
    }
}
