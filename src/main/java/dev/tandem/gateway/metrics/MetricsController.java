package dev.tandem.gateway.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /metrics}: Prometheus' text format, for scrapers on the operators' network; with
 * {@code TANDEM_METRICS_TOKEN} set, only for requests bearing that token.
 */
@RestController
class MetricsController {

    private final CallMetrics metrics;

    private final byte[] token;

    MetricsController(CallMetrics metrics, @Value("${tandem.metrics-token:}") String token) {
        this.metrics = metrics;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.open = token.isEmpty();
    }

    private final boolean open;

    @GetMapping("/metrics")
    ResponseEntity<String> metrics(@RequestHeader(name = "authorization", required = false) @Nullable String auth) {
        if (!open && (auth == null
                || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8)))) {
            return ResponseEntity.status(401).header("www-authenticate", "Bearer").body("metrics need a token\n");
        }
        return ResponseEntity.ok().header("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .body(metrics.scrape());
    }
}
