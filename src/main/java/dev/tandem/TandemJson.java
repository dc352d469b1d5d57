package dev.tandem;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper every module uses. Its buffers are recycled per thread: one request (one virtual thread)
 * parses and writes many small JSON chunks in a row, and a per-thread pool serves them without the contended
 * shared pool Jackson uses by default.
 */
@Configuration(proxyBeanMethods = false)
class TandemJson {

    @Bean
    JsonMapper jsonMapper() {
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build();
        return JsonMapper.builder(factory).build();
    }
}
