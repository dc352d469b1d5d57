package dev.tandem.gateway.health;

import dev.tandem.gateway.ActiveStreams;
import dev.tandem.gateway.http.JsonWriter;
import dev.tandem.inference.EngineState;
import dev.tandem.inference.Inference;
import dev.tandem.inference.ModelInfo;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /healthz}: the process answers. {@code /readyz}: the database answers, every model can serve, and the
 * node is not shutting down; its body says what is not ready.
 */
@RestController
class HealthController {

    private final JdbcClient jdbc;
    private final Inference inference;
    private final ActiveStreams active;
    private final JsonWriter json;

    HealthController(JdbcClient jdbc, Inference inference, ActiveStreams active, JsonWriter json) {
        this.jdbc = jdbc;
        this.inference = inference;
        this.active = active;
        this.json = json;
    }

    @GetMapping("/healthz")
    ResponseEntity<String> healthz() {
        return ResponseEntity.ok().header("content-type", "application/json").body("{\"status\":\"ok\"}");
    }

    @GetMapping("/readyz")
    ResponseEntity<byte[]> readyz() {
        String database;
        try {
            jdbc.sql("SELECT 1").query(Integer.class).single();
            database = "ok";
        } catch (RuntimeException e) {
            database = "unavailable: " + e.getMessage();
        }
        boolean draining = active.draining();
        boolean ready = database.equals("ok") && inference.ready() && !draining;
        String db = database;
        byte[] body = json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("status", ready ? "ready" : "not ready");
            g.writeStringProperty("database", db);
            g.writeBooleanProperty("draining", draining);
            g.writeObjectPropertyStart("models");
            for (ModelInfo m : inference.models()) {
                g.writeStringProperty(m.id(), switch (m.state()) {
                    case EngineState.Ready r -> "ready";
                    case EngineState.Loading l -> "loading: " + l.detail();
                    case EngineState.Failed f -> "failed: " + f.reason();
                });
            }
            g.writeEndObject();
            g.writeEndObject();
        });
        return ResponseEntity.status(ready ? 200 : 503).header("content-type", "application/json").body(body);
    }
}
