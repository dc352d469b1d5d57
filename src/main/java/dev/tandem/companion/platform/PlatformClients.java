package dev.tandem.companion.platform;

import dev.tandem.billing.Billing;
import dev.tandem.companion.CompanionProperties;
import dev.tandem.companion.PlatformClient;
import dev.tandem.gateway.ChatPipeline;
import dev.tandem.identity.ApiKeys;
import dev.tandem.identity.Organizations;
import dev.tandem.inference.Inference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Chooses the app's platform client: a remote Tandem when {@code TANDEM_COMPANION_PLATFORM_URL} is set, else this one. */
@Configuration(proxyBeanMethods = false)
class PlatformClients {

    @Bean
    PlatformClient platformClient(CompanionProperties properties, JsonMapper json, ObjectProvider<ChatPipeline> pipeline, ObjectProvider<Inference> inference,
            Organizations organizations, ApiKeys keys, Billing billing) {
        if (!properties.platformUrl().isEmpty()) {
            if (properties.platformKey().isEmpty()) {
                throw new IllegalArgumentException("TANDEM_COMPANION_PLATFORM_KEY must be set with "
                        + "TANDEM_COMPANION_PLATFORM_URL");
            }
            return new HttpPlatformClient(properties.platformUrl(), properties.platformKey(),
                    properties.replyTimeout(), json);
        }
        return new InProcessPlatformClient(pipeline.getObject(), inference.getObject(), organizations, keys, billing, properties);
    }
}
