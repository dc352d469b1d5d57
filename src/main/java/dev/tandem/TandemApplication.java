package dev.tandem;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Tandem: one multi-tenant model API (OpenAI, Anthropic and MiniMax dialects) over local and remote engines.
 * See {@code docs/ARCHITECTURE.md} in the shared docs for the design; each top-level package is a module.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TandemApplication {

    public static void main(String[] args) {
        SpringApplication.run(TandemApplication.class, args);
    }
}
