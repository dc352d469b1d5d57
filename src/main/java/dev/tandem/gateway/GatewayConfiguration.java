package dev.tandem.gateway;

import dev.tandem.gateway.http.JsonWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    JsonWriter jsonWriter(ObjectMapper json) {
        return new JsonWriter(json);
    }
}
