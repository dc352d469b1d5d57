package dev.tandem.gateway.admin;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.Organization;
import dev.tandem.identity.Organizations;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Who may use the management API: an admin key of the owner organization manages every organization (the
 * platform admin); an admin key of another organization manages its own; developer keys manage nothing. An
 * organization a key may not manage looks like one that does not exist.
 */
@Component
class ManagementAuth {

    private final Organizations organizations;

    ManagementAuth(Organizations organizations) {
        this.organizations = organizations;
    }

    static void platformAdmin(ApiExchange ex) {
        if (!ex.principal().platformAdmin()) {
            throw new ApiError(ErrorKind.PERMISSION, "This needs an admin key of the platform owner's organization.",
                    null, null);
        }
    }

    /** The organization named in the path ({@code me}: the caller's own), which this key may administer. */
    Organization organizationAdmin(ApiExchange ex, String org) {
        requireAdmin(ex);
        Organization o = organization(ex, org);
        if (!ex.principal().platformAdmin() && !o.id().equals(ex.principal().organizationId())) {
            throw noOrganization(org);
        }
        return o;
    }

    /**
     * The organization an {@code /v1/organization/...} request is about: the caller's own, or for the platform
     * admin the one named by {@code ?organization_id=}.
     */
    Organization callerOrganization(ApiExchange ex) {
        requireAdmin(ex);
        String named = ex.request().getParameter("organization_id");
        if (named == null || named.isBlank()) {
            return organization(ex, "me");
        }
        return organizationAdmin(ex, named.strip());
    }

    /** Any organization by id ({@code me}: the caller's own), whoever asks. */
    Organization organization(ApiExchange ex, String org) {
        String id = org.equals("me") ? ex.principal().organizationId() : org;
        return organizations.find(id).orElseThrow(() -> noOrganization(org));
    }

    private static void requireAdmin(ApiExchange ex) {
        ApiKeyPrincipal p = ex.principal();
        if (!p.admin()) {
            throw new ApiError(ErrorKind.PERMISSION, "This needs an admin API key.", null, null);
        }
    }

    static ApiError noOrganization(@Nullable String org) {
        return new ApiError(ErrorKind.NOT_FOUND, "No organization '" + org + "'.", "organization", null);
    }
}
