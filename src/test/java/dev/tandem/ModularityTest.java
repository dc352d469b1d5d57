package dev.tandem;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The module boundaries of ARCHITECTURE.md, checked: no cycles, no reaching into another module's internals. */
class ModularityTest {

    @Test
    void modulesRespectTheirBoundaries() {
        ApplicationModules.of(TandemApplication.class).verify();
    }
}
