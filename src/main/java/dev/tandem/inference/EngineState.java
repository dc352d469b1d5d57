package dev.tandem.inference;

import java.util.Objects;

/** Whether an engine can serve: it may still be loading (or downloading) its model, or have failed to. */
public sealed interface EngineState {

    record Loading(String detail) implements EngineState {
        public Loading {
            Objects.requireNonNull(detail, "detail");
        }
    }

    record Ready() implements EngineState {}

    record Failed(String reason) implements EngineState {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    EngineState READY = new Ready();

    default boolean ready() {
        return this instanceof Ready;
    }
}
