package dev.tandem.gateway.http;

import dev.tandem.gateway.ApiError;
import dev.tandem.gateway.ErrorKind;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;

/**
 * What the servlet container reports itself (unknown URL, wrong method, unreadable request), in the error shape
 * of the dialect the path belongs to, never an HTML page.
 */
@RestController
class ApiFallbackController implements ErrorController {

    private final JsonWriter json;

    ApiFallbackController(JsonWriter json) {
        this.json = json;
    }

    @RequestMapping("/error")
    ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? "" : uri.toString();
        String method = request.getMethod();
        String message = switch (status) {
            case 404 -> "Invalid URL (" + method + " " + path + ")";
            case 405 -> "Method " + method + " is not allowed on " + path;
            case 400 -> "The request could not be read";
            default -> "The request failed (HTTP " + status + ")";
        };
        ApiError error = new ApiError(status == 404 ? ErrorKind.NOT_FOUND
                : status >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST, message, null, null);
        byte[] body;
        if (path.startsWith("/v1/messages") || path.startsWith("/anthropic")) {
            body = json.bytes(g -> {
                g.writeStartObject();
                g.writeStringProperty("type", "error");
                g.writeObjectPropertyStart("error");
                g.writeStringProperty("type", status == 404 ? "not_found_error" : status >= 500 ? "api_error"
                        : "invalid_request_error");
                g.writeStringProperty("message", message);
                g.writeEndObject();
                g.writeEndObject();
            });
        } else {
            body = json.bytes(g -> writeOpenAi(g, error, status));
        }
        return ResponseEntity.status(status).header("content-type", "application/json").body(body);
    }

    private static void writeOpenAi(JsonGenerator g, ApiError error, int status) {
        g.writeStartObject();
        g.writeObjectPropertyStart("error");
        g.writeStringProperty("message", error.getMessage());
        g.writeStringProperty("type", status >= 500 ? "server_error" : "invalid_request_error");
        g.writeNullProperty("param");
        g.writeNullProperty("code");
        g.writeEndObject();
        g.writeEndObject();
    }

}
