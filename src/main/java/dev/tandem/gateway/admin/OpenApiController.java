package dev.tandem.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the OpenAPI 3.1 document of the management API and the console session endpoints
 * ({@code openapi/tandem.json}, written by hand; {@code OpenApiDriftTest} keeps it and the mappings in step).
 */
@RestController
class OpenApiController {

    private final byte[] document;

    OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream("/openapi/tandem.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi/tandem.json is missing from the jar");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping("/v1/openapi.json")
    ResponseEntity<byte[]> openapi() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noCache()).body(document);
    }
}
