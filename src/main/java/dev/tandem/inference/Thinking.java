package dev.tandem.inference;

import org.jspecify.annotations.Nullable;

/**
 * Whether the model should reason before answering, for models that can switch it.
 *
 * @param mode         {@link Mode#DEFAULT} leaves it to the model
 * @param budgetTokens an upper bound on reasoning tokens when the engine honours one
 */
public record Thinking(Mode mode, @Nullable Integer budgetTokens) {

    public enum Mode { DEFAULT, ENABLED, DISABLED }

    public static final Thinking DEFAULT = new Thinking(Mode.DEFAULT, null);
    public static final Thinking DISABLED = new Thinking(Mode.DISABLED, null);

    public static Thinking enabled(@Nullable Integer budgetTokens) {
        return new Thinking(Mode.ENABLED, budgetTokens);
    }
}
