package dev.tandem.inference;

import java.util.Objects;

/** Whether and which tool the model must call. */
public sealed interface ToolChoice {

    /** The model decides. */
    record Auto() implements ToolChoice {}

    /** The model must not call tools. */
    record None() implements ToolChoice {}

    /** The model must call at least one tool. */
    record Required() implements ToolChoice {}

    /** The model must call the named tool. */
    record Named(String name) implements ToolChoice {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }

    ToolChoice AUTO = new Auto();
    ToolChoice NONE = new None();
    ToolChoice REQUIRED = new Required();
}
