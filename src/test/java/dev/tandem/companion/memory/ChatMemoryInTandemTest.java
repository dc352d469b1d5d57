package dev.tandem.companion.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.TandemServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory as Tandem wires it: a bean over the application's database, migrated on start. */
class ChatMemoryInTandemTest {

    @Test
    void theApplicationRemembersAndRecalls() {
        try (TandemServer server = TandemServer.start(Map.of())) {
            ChatMemory memory = server.context().getBean(ChatMemory.class);
            assertThat(memory.observe("cht_1", "psn_1", "msg_1", "Hello! My cat is called Pixel.")).hasSize(1);
            assertThat(memory.recall("cht_1", "what is my cat called?", 3)).extracting(r -> r.memory().content())
                    .containsExactly("{{user}}'s cat is called Pixel");
        }
    }
}
