package dev.tandem.inference.remote;

import dev.tandem.inference.EngineCapabilities;
import dev.tandem.inference.EngineState;
import dev.tandem.inference.engine.ChatEngine;
import dev.tandem.inference.ModelSettings;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * What the remote engines share: their settings, the HTTP connection to the upstream, the upstream model name,
 * and catalog limits that come from configuration (with the engine's defaults).
 */
abstract class RemoteEngine implements ChatEngine {

    protected final ModelSettings settings;
    protected final ObjectMapper json;
    protected final RemoteHttp http;
    protected final String upstreamModel;
    private final EngineCapabilities capabilities;
    private final int defaultContextLength;
    private final int defaultMaxOutputTokens;

    RemoteEngine(ModelSettings settings, ObjectMapper json, Map<String, String> authHeaders,
            EngineCapabilities capabilities, int defaultContextLength, int defaultMaxOutputTokens) {
        this.settings = settings;
        this.json = json;
        this.http = new RemoteHttp(settings, authHeaders, json);
        this.upstreamModel = settings.upstreamModel() != null ? settings.upstreamModel() : settings.id();
        this.capabilities = capabilities;
        this.defaultContextLength = defaultContextLength;
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    static boolean hasKey(ModelSettings settings) {
        return settings.apiKey() != null && !settings.apiKey().isBlank();
    }

    /** Remote engines are ready once configured; an unreachable upstream shows in the calls themselves. */
    @Override
    public EngineState state() {
        return EngineState.READY;
    }

    @Override
    public EngineCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public int contextLength() {
        return settings.contextLength() != null ? settings.contextLength() : defaultContextLength;
    }

    @Override
    public int maxOutputTokens() {
        return settings.maxOutputTokens() != null ? settings.maxOutputTokens() : defaultMaxOutputTokens;
    }

    @Override
    public void close() {
        http.close();
    }
}
