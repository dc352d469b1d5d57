package dev.tandem.web.store;

import dev.tandem.companion.CompanionException;
import dev.tandem.store.PurchaseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The one place {@code /store} refusals become JSON: {@code {"error": {"reason": ..., "message": ...}}}. */
@RestControllerAdvice(basePackageClasses = StoreErrors.class)
class StoreErrors {

    @ExceptionHandler(PurchaseException.class)
    ResponseEntity<Map<String, Object>> purchase(PurchaseException e) {
        return error(e.reason().status(), e.reason().name(), e.getMessage());
    }

    @ExceptionHandler(CompanionException.class)
    ResponseEntity<Map<String, Object>> companion(CompanionException e) {
        return error(e.reason().status(), e.reason().name(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return error(400, "INVALID", "The body must be a JSON object.");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(415, "INVALID", "Send the body as application/json.");
    }

    private static ResponseEntity<Map<String, Object>> error(int status, String reason, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", reason.toLowerCase(Locale.ROOT));
        error.put("message", message);
        return ResponseEntity.status(status).body(Map.of("error", error));
    }
}
