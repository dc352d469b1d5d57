package dev.tandem.gateway;

import dev.tandem.gateway.http.ApiExchange;
import dev.tandem.gateway.http.GatewayHandler;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.gateway.openai.OpenAiDialect;
import dev.tandem.identity.ApiKeyPrincipal;
import dev.tandem.identity.ConsoleSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The management API's frame for platform-admin endpoints that controllers outside the gateway serve (the gacha's
 * cards and banners are served by {@code web}, which may use the gacha; the gateway may not, since the companion
 * app it serves sits under the gacha). It does what {@code /v1/admin/**} always does: authentication by an admin
 * API key or a console session (with the CSRF rules), the platform-admin check, the JSON body, and every failure
 * rendered in OpenAI's error shape by the one gateway handler. Thread-safe.
 */
@Component
public class ManagementCalls {

    /** The body of a platform-admin call, run after the checks. Throw {@link ApiError} to refuse. */
    @FunctionalInterface
    public interface Call {
        Reply handle(Request request) throws IOException;
    }

    /**
     * An authenticated call.
     *
     * @param body  the JSON object sent (an empty object when there is no body)
     * @param actor who calls: the admin key's id ({@code key_…}) or the person's ({@code psn_…})
     */
    public record Request(HttpServletRequest http, JsonNode body, String actor) {
    }

    /** The answer: a status and a JSON body. */
    public record Reply(int status, JsonNode body) {
    }

    private final GatewayHandler handler;
    private final JsonWriter json;
    private final OpenAiDialect dialect;

    ManagementCalls(GatewayHandler handler, JsonWriter json) {
        this.handler = handler;
        this.json = json;
        this.dialect = new OpenAiDialect(json);
    }

    /** Runs {@code call} for the platform admin; anyone else gets 401 or 403 in OpenAI's shape. */
    public void platformAdmin(HttpServletRequest request, HttpServletResponse response, Call call) {
        handler.handle(dialect, GatewayHandler.Authentication.KEY_OR_SESSION, request, response, ex -> {
            boolean admin = ex.session().map(ConsoleSession::platformAdmin)
                    .orElseGet(() -> ex.apiKey().map(ApiKeyPrincipal::platformAdmin).orElse(false));
            if (!admin) {
                throw new ApiError(ErrorKind.PERMISSION, ex.session().isPresent()
                        ? "This needs the owner or admin role in the platform owner's organization."
                        : "This needs an admin key of the platform owner's organization.", null, null);
            }
            JsonNode body = ex.body().length == 0 ? json.mapper().createObjectNode() : handler.jsonObject(ex);
            Reply reply = call.handle(new Request(request, body, actor(ex)));
            ex.sendJson(reply.status(), json.mapper().writeValueAsBytes(reply.body()));
        });
    }

    private static String actor(ApiExchange ex) {
        return ex.session().map(s -> s.person().id()).orElseGet(() -> ex.principal().keyId());
    }
}
