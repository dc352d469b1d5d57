package dev.tandem.inference.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.inference.ModelSettings;
import org.junit.jupiter.api.Test;

/** {@code machine-cost-per-hour}: an amount of money, for local models only, checked when the catalog is built. */
class MachineCostSettingTest {

    static ModelSettings with(String engine, String cost) {
        ModelSettings l = ModelSettings.llamacpp("m", "/models/m.gguf");
        return new ModelSettings(l.id(), engine, l.path(), null, null, null, null, null, null,
                engine.equals("llamacpp") ? null : "http://127.0.0.1:9/v1", null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, cost, null);
    }

    @Test
    void parsesMoneyIntoMicroUnits() {
        assertThat(ModelRegistry.machineCostPerHour(with("llamacpp", "2.50"))).isEqualTo(2_500_000);
        assertThat(ModelRegistry.machineCostPerHour(with("llamacpp", null))).isZero();
    }

    @Test
    void refusesBadAmountsAndRemoteEngines() {
        assertThatThrownBy(() -> ModelRegistry.machineCostPerHour(with("llamacpp", "-1")))
                .hasMessageContaining("machine-cost-per-hour must be an amount of money");
        assertThatThrownBy(() -> ModelRegistry.machineCostPerHour(with("llamacpp", "0.0000001")))
                .hasMessageContaining("at most 6 decimals");
        assertThatThrownBy(() -> ModelRegistry.machineCostPerHour(with("llamacpp", "two")))
                .hasMessageContaining("was 'two'");
        assertThatThrownBy(() -> ModelRegistry.machineCostPerHour(with("openai", "1.00")))
                .hasMessageContaining("applies to llamacpp models");
    }
}
