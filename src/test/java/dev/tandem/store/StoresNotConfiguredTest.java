package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Browser;
import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A server as shipped: no store enabled, the default catalog of application.yaml. */
class StoresNotConfiguredTest {

    static TandemServer server;
    static Browser pat;

    @BeforeAll
    static void start() {
        server = TandemServer.start(Map.of());
        pat = new Browser(server);
        assertThat(pat.post("/sign-up", Map.of("email", "shopper@example.com", "name", "Shopper", "handle",
                "shopper_" + System.nanoTime() % 100000, "password", "correct horse battery", "birth_date",
                LocalDate.now().minusYears(30).toString())).status()).isEqualTo(302);
        pat.csrfFrom(pat.get("/me").ok());
    }

    @AfterAll
    static void stop() {
        Closing.all(server);
    }

    @Test
    void everyStoreEndpointSaysItsStoreIsNotConfigured() {
        Map<String, String> expected = Map.of(
                "/store/apple/notifications", "not available: store Apple is not configured",
                "/store/google/rtdn?secret=x", "not available: store Google Play is not configured",
                "/store/stripe/webhook", "not available: store Stripe is not configured");
        expected.forEach((path, message) -> {
            Browser.Reply reply = new Browser(server).send("POST", path, "{}", Map.of());
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.json().path("error").path("message").asString()).as(path).isEqualTo(message);
        });
        Browser.Reply apple = pat.call("POST", "/store/apple/transactions", "{\"signed_transaction\":\"a.b.c\"}");
        assertThat(apple.status()).isEqualTo(404);
        assertThat(apple.json().path("error").path("message").asString())
                .isEqualTo("not available: store Apple is not configured");
        Browser.Reply intent = pat.call("POST", "/store/intents", "{\"product\":\"gems-60\",\"store\":\"google\"}");
        assertThat(intent.json().path("error").path("message").asString())
                .isEqualTo("not available: store Google Play is not configured");
        Browser.Reply checkout = pat.post("/shop/checkout", Map.of("product", "gems-60"));
        assertThat(checkout.status()).isEqualTo(404);
        assertThat(checkout.body()).contains("not available: store Stripe is not configured");
    }

    @Test
    void theShopShowsTheDefaultCatalogAsNotOnSaleYet() {
        String shop = pat.get("/shop").ok().body();
        assertThat(shop).contains("60 gems", "1980 gems", "¥6", "¥198", "Tandem Plus", "¥30 a month",
                "30 free gems every day", "Up to 32 alternatives per reply",
                "Priority replies: first in the queue when the model is busy", "Not on sale here yet");
        assertThat(shop).doesNotContain("Buy on the web", "Members' own model capacity");
        assertThat(pat.get("/").ok().body()).contains("href=\"/shop\"");
    }
}
