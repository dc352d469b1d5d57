package dev.tandem.inference;

import java.util.List;
import java.util.Objects;

/**
 * A model of the catalog as callers see it.
 *
 * @param id              the public id callers put in {@code model}
 * @param engine          the engine type serving it ({@code llamacpp}, {@code openai}, {@code anthropic})
 * @param ownedBy         shown as {@code owned_by}
 * @param created         epoch seconds, shown as {@code created}
 * @param contextLength   tokens of prompt plus output one request may use
 * @param maxOutputTokens the most tokens one answer may have
 * @param capabilities    what the engine supports for it
 * @param state           whether it can serve now
 * @param aliases         other ids that name it
 * @param fallbacks       models that answer in its place when every channel of it is out of service, in order
 * @param machineCostPerHour micro-units of the platform currency the machine serving it costs per hour (local
 *                        engines with {@code machine-cost-per-hour}); 0 when none is set
 */
public record ModelInfo(
        String id,
        String engine,
        String ownedBy,
        long created,
        int contextLength,
        int maxOutputTokens,
        EngineCapabilities capabilities,
        EngineState state,
        List<String> aliases,
        List<String> fallbacks,
        long machineCostPerHour) {

    public ModelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(ownedBy, "ownedBy");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(state, "state");
        aliases = List.copyOf(aliases);
        fallbacks = List.copyOf(fallbacks);
        if (machineCostPerHour < 0) {
            throw new IllegalArgumentException("machine cost per hour must not be negative, was " + machineCostPerHour);
        }
    }
}
