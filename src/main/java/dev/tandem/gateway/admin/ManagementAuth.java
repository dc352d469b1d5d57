package dev.tandem.gateway.admin;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.gateway.openai.OpenAiDialect;
import dev.tandem.identity.ApiKeyInfo;
import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.ConsoleSession;
import dev.tandem.identity.KeyRole;
import dev.tandem.identity.MemberRole;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Organizations;
import dev.tandem.identity.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Who may do what on the management API, for both kinds of caller. An admin API key acts as an owner of its own
 * organization; an admin key of the owner organization acts as an owner of every organization (the platform
 * admin); developer keys manage nothing. A console session acts with the person's {@link MemberRole} in the
 * organization; an owner or admin of the owner organization is a platform admin. An organization the caller
 * has no part in answers 404, exactly like one that does not exist; a role that lacks the permission answers 403.
 */
@Component
class ManagementAuth {

    private final Organizations organizations;
    private final GatewayHandler handler;
    private final JsonWriter json;
    private final OpenAiDialect dialect;

    ManagementAuth(Organizations organizations, GatewayHandler handler, JsonWriter json) {
        this.organizations = organizations;
        this.handler = handler;
        this.json = json;
        this.dialect = new OpenAiDialect(json);
    }

    /**
     * Runs a management call: authenticated by an API key or a console session (with the CSRF rules), errors in
     * OpenAI's shape.
     */
    void handle(HttpServletRequest request, HttpServletResponse response, GatewayHandler.Handler body) {
        handler.handle(dialect, GatewayHandler.Authentication.KEY_OR_SESSION, request, response, body);
    }

    /** Runs a console call: {@code authentication} is SESSION or NONE. */
    void handle(GatewayHandler.Authentication authentication, HttpServletRequest request,
            HttpServletResponse response, GatewayHandler.Handler body) {
        handler.handle(dialect, authentication, request, response, body);
    }

    /** The request's JSON object body. */
    JsonNode body(ApiExchange ex) throws IOException {
        return handler.jsonObject(ex);
    }

    /** Sends {@code {"object":"list","data":[…]}} with each item written by {@code item}. */
    <T> void sendList(ApiExchange ex, Iterable<T> items, BiConsumer<JsonGenerator, T> item) throws IOException {
        send(ex, 200, g -> {
            g.writeStartObject();
            g.writeStringProperty("object", "list");
            g.writeArrayPropertyStart("data");
            for (T t : items) {
                item.accept(g, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Sends a JSON body written by {@code body}. */
    void send(ApiExchange ex, int status, Consumer<JsonGenerator> body) throws IOException {
        ex.sendJson(status, json.bytes(body));
    }

    /**
     * An organization the caller acts on, and as what.
     *
     * @param organization the organization
     * @param role         the role the caller acts with there
     * @param actor        the caller: a key id ({@code key_…}) or a person id ({@code psn_…})
     */
    record Access(Organization organization, MemberRole role, String actor) {
        Access {
            Objects.requireNonNull(organization, "organization");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(actor, "actor");
        }

        String id() {
            return organization.id();
        }

        boolean may(Permission permission) {
            return role.permits(permission);
        }

        /** May change, rotate or revoke {@code key}: every key with MANAGE_KEYS, one's own with CREATE_KEYS. */
        boolean mayChange(ApiKeyInfo key) {
            return role.mayChange(key, actor);
        }

        /** Refuses key settings beyond the caller's role: only MANAGE_KEYS makes or keeps admin keys. */
        void requireKeyRole(KeyRole keyRole) {
            if (!role.mayGive(keyRole)) {
                throw new ApiError(ErrorKind.PERMISSION, "Your role (" + role.wire() + ") may make developer keys "
                        + "only; admin keys need the owner or admin role.", "role", null);
            }
        }
    }

    /** The caller's id: the key's or the person's. */
    static String actor(ApiExchange ex) {
        return ex.session().map(s -> s.person().id()).orElseGet(() -> ex.principal().keyId());
    }

    /** True when the caller manages the whole platform. */
    static boolean isPlatformAdmin(ApiExchange ex) {
        return ex.session().map(ConsoleSession::platformAdmin)
                .orElseGet(() -> ex.apiKey().map(ApiKeyPrincipal::platformAdmin).orElse(false));
    }

    /** Refuses callers other than the platform admin. */
    static void platformAdmin(ApiExchange ex) {
        if (!isPlatformAdmin(ex)) {
            throw new ApiError(ErrorKind.PERMISSION, ex.session().isPresent()
                    ? "This needs the owner or admin role in the platform owner's organization."
                    : "This needs an admin key of the platform owner's organization.", null, null);
        }
    }

    /**
     * The organization named in the path, which the caller may act on with {@code permission}.
     *
     * @throws ApiError PERMISSION for a developer key or a role without the permission; NOT_FOUND for an
     *                  organization the caller has no part in
     */
    Access organization(ApiExchange ex, String org, Permission permission) {
        Optional<ConsoleSession> session = ex.session();
        if (session.isEmpty()) {
            ApiKeyPrincipal key = ex.principal();
            if (!key.admin()) {
                throw new ApiError(ErrorKind.PERMISSION, "This needs an admin API key.", null, null);
            }
            Organization o = find(ex, org);
            if (!key.platformAdmin() && !o.id().equals(key.organizationId())) {
                throw noOrganization(org);
            }
            return new Access(o, MemberRole.OWNER, key.keyId());
        }
        ConsoleSession s = session.get();
        Organization o = find(ex, org);
        MemberRole role = s.actingRoleIn(o.id()).orElse(null);
        if (role == null) {
            throw noOrganization(org);
        }
        if (!role.permits(permission)) {
            String roles = MemberRole.rolesWith(permission);
            throw new ApiError(ErrorKind.PERMISSION, "Your role in this organization (" + role.wire()
                    + ") may not do this; it needs one of: " + roles + ".", null, null);
        }
        return new Access(o, role, s.person().id());
    }

    /**
     * The organization an {@code /v1/organization/...} request is about, which the caller may act on with
     * {@code permission}: an API key's own, or the one named by {@code ?organization_id=} (the platform admin may
     * name any; a console session must name one).
     */
    Organization callerOrganization(ApiExchange ex, Permission permission) {
        String named = ex.request().getParameter("organization_id");
        if (named == null || named.isBlank()) {
            if (ex.apiKey().isEmpty()) {
                throw new ApiError(ErrorKind.INVALID_REQUEST, "organization_id: Field required with a console "
                        + "session (it names which of your organizations).", "organization_id", null);
            }
            named = "me";
        }
        return organization(ex, named.strip(), permission).organization();
    }

    /** The organization named in the path ({@code me}: an API key's own), whoever asks. */
    Organization find(ApiExchange ex, String org) {
        String id = org;
        if (org.equals("me")) {
            if (ex.apiKey().isEmpty()) {
                throw new ApiError(ErrorKind.INVALID_REQUEST, "'me' names an API key's own organization; with a "
                        + "console session, name the organization by its id.", "organization", null);
            }
            id = ex.principal().organizationId();
        }
        return organizations.find(id).orElseThrow(() -> noOrganization(org));
    }

    static ApiError noOrganization(String org) {
        return new ApiError(ErrorKind.NOT_FOUND, "No organization '" + org + "'.", "organization", null);
    }
}
