package dev.tandem.gateway.admin;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ConsoleCookie;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.Fields;
import dev.tandem.gateway.http.GatewayHandler.Authentication;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.ConsoleSessions;
import dev.tandem.identity.Member;
import dev.tandem.identity.Membership;
import dev.tandem.identity.People;
import dev.tandem.identity.SignedIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The console's session API: sign in (sets the {@code tandem_session} cookie), who am I (with the CSRF token that
 * changes need), sign out, accept an invitation, change one's password.
 */
@RestController
class ConsoleSessionController {

    private final ManagementAuth auth;
    private final ConsoleSessions sessions;
    private final ConsoleCookie cookie;
    private final People people;

    ConsoleSessionController(ManagementAuth auth, ConsoleSessions sessions, ConsoleCookie cookie, People people) {
        this.auth = auth;
        this.sessions = sessions;
        this.cookie = cookie;
        this.people = people;
    }

    @PostMapping("/v1/console/session")
    void signIn(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(Authentication.NONE, request, response, ex -> {
            // a forged sign-in would put the victim's browser into the attacker's account
            ConsoleCookie.foreignOrigin(request).ifPresent(problem -> {
                throw new ApiError(ErrorKind.PERMISSION, problem, null, null);
            });
            JsonNode body = auth.body(ex);
            String email = Fields.requiredString(body, "email", "email");
            String password = Fields.requiredString(body, "password", "password");
            SignedIn signedIn = sessions.signIn(email, password, request.getRemoteAddr(),
                    request.getHeader("user-agent"));
            cookie.open(request, response, signedIn);
            sendSession(ex, signedIn.session());
        });
    }

    @GetMapping("/v1/console/session")
    void whoAmI(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(Authentication.SESSION, request, response,
                ex -> sendSession(ex, ex.session().orElseThrow()));
    }

    @DeleteMapping("/v1/console/session")
    void signOut(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(Authentication.SESSION, request, response, ex -> {
            cookie.close(request, response);
            ex.sendEmpty(204);
        });
    }

    @PostMapping("/v1/console/invitations/accept")
    void accept(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(Authentication.NONE, request, response, ex -> {
            JsonNode body = auth.body(ex);
            Member m = people.accept(Fields.requiredString(body, "token", "token"),
                    Fields.optionalString(body, "name", "name"), Fields.requiredString(body, "password", "password"));
            auth.send(ex, 201, g -> MembersController.writeMember(g, m));
        });
    }

    @PostMapping("/v1/console/password")
    void changePassword(HttpServletRequest request, HttpServletResponse response) {
        auth.handle(Authentication.SESSION, request, response, ex -> {
            ConsoleSession s = ex.session().orElseThrow();
            JsonNode body = auth.body(ex);
            people.changePassword(s.person().id(), Fields.requiredString(body, "current_password", "current_password"),
                    Fields.requiredString(body, "new_password", "new_password"), s.sessionId());
            ex.sendEmpty(204);
        });
    }

    private void sendSession(ApiExchange ex, ConsoleSession s) throws IOException {
        auth.send(ex, 200, g -> writeSession(g, s));
    }

    private static void writeSession(JsonGenerator g, ConsoleSession s) {
        g.writeStartObject();
        g.writeStringProperty("object", "console.session");
        g.writeObjectPropertyStart("person");
        g.writeStringProperty("id", s.person().id());
        g.writeStringProperty("email", s.person().email());
        g.writeStringProperty("name", s.person().name());
        g.writeEndObject();
        g.writeStringProperty("csrf_token", s.csrfToken());
        g.writeNumberProperty("expires_at", s.expiresAt() / 1000);
        g.writeBooleanProperty("platform_admin", s.platformAdmin());
        g.writeArrayPropertyStart("organizations");
        for (Membership m : s.memberships()) {
            g.writeStartObject();
            g.writeStringProperty("id", m.organizationId());
            g.writeStringProperty("name", m.organizationName());
            g.writeStringProperty("role", m.role().wire());
            g.writeBooleanProperty("owner", m.ownerOrganization());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
