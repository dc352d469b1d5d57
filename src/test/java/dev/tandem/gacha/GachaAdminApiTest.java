package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Profile;
import dev.tandem.support.Admin;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The management API of gems, cards and banners: platform admin only, once per key, bad input named, banners
 * frozen once started; errors in OpenAI's shape.
 */
class GachaAdminApiTest {

    static GachaWorld world;
    static Admin admin;
    static CharacterView character;

    @BeforeAll
    static void start() {
        world = GachaWorld.on("sqlite");
        admin = new Admin(world.server);
        character = world.character(world.person(30), "Lyra");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    static String png(Color color) throws IOException {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, color.getRGB());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    String card(String name, String rarity) throws IOException {
        return admin.call("POST", "/v1/admin/cards", "{\"character_id\":\"" + character.id() + "\",\"name\":\"" + name
                + "\",\"rarity\":\"" + rarity + "\",\"unlock_kind\":\"greeting\",\"unlock_text\":\"Hi, " + name
                + ".\",\"art_base64\":\"" + png(Color.RED) + "\"}").ok().path("id").asString();
    }

    @Test
    void anAdminGrantIsAppliedOncePerKeyAndOnlyThePlatformAdminMayGrant() {
        Profile p = world.person(20);
        String path = "/v1/admin/people/" + p.personId() + "/gems";
        JsonNode first = admin.call("POST", path, "{\"amount\":500,\"idempotency_key\":\"support-1\",\"memo\":\"sorry\"}")
                .ok();
        assertThat(first.path("replayed").asBoolean()).isFalse();
        assertThat(first.path("balance").path("free").asLong()).isEqualTo(500);
        JsonNode again = admin.call("POST", path, "{\"amount\":500,\"idempotency_key\":\"support-1\"}").ok();
        assertThat(again.path("replayed").asBoolean()).isTrue();
        assertThat(again.path("transaction_id").asString()).isEqualTo(first.path("transaction_id").asString());
        admin.call("POST", path, "{\"amount\":100,\"idempotency_key\":\"support-2\",\"account\":\"paid\"}").ok();
        JsonNode wallet = admin.call("GET", path, null).ok();
        assertThat(wallet.path("balance").path("paid").asLong()).isEqualTo(100);
        assertThat(wallet.path("balance").path("free").asLong()).isEqualTo(500);
        assertThat(wallet.path("history").get(1).path("memo").asString()).isEqualTo("sorry");

        Admin.Reply noAmount = admin.call("POST", path, "{\"idempotency_key\":\"x\"}");
        assertThat(noAmount.status()).isEqualTo(400);
        assertThat(noAmount.body().path("error").path("param").asString()).isEqualTo("amount");
        assertThat(admin.call("POST", "/v1/admin/people/psn_nobody/gems", "{\"amount\":1,\"idempotency_key\":\"x\"}")
                .status()).isEqualTo(404);
        String org = admin.prepaidOrganization("not the owner");
        Admin outsider = new Admin(world.server, admin.key(org, "admin", ""));
        Admin.Reply refused = outsider.call("POST", path, "{\"amount\":1,\"idempotency_key\":\"y\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("error").path("message").asString()).contains("platform owner");
        assertThat(outsider.call("POST", "/v1/admin/banners", "{}").status()).isEqualTo(403);
        assertThat(world.gems.balance(p.personId()).total()).isEqualTo(600);
    }

    @Test
    void aBannerIsCheckedWholePublishesItsOddsAndIsFrozenOnceStarted() throws IOException {
        String ur = card("Comet", "UR");
        String urFeatured = card("Nova", "UR");
        String sr = card("Quasar", "SR");
        String r = card("Dust", "R");
        JsonNode c = admin.call("GET", "/v1/admin/cards/" + ur, null).ok();
        assertThat(c.path("art_url").asString()).startsWith("/images/");
        assertThat(admin.call("GET", "/v1/admin/cards?character_id=" + character.id(), null).ok().path("data").size())
                .isGreaterThanOrEqualTo(4);
        long now = System.currentTimeMillis() / 1000;
        String pool = "[{\"card_id\":\"" + urFeatured + "\",\"featured\":true},{\"card_id\":\"" + ur
                + "\"},{\"card_id\":\"" + sr + "\"},{\"card_id\":\"" + r + "\"}]";
        String rules = "{\"preset\":\"genshin\",\"banner_type\":\"lyra\",\"sr_featured\":null}";

        Admin.Reply badRules = admin.call("POST", "/v1/admin/banners", "{\"name\":\"x\",\"starts_at\":" + now
                + ",\"ends_at\":" + (now + 3600) + ",\"rules\":{\"preset\":\"genshin\",\"hard_pity\":2000},\"cards\":"
                + pool + "}");
        assertThat(badRules.status()).isEqualTo(400);
        assertThat(badRules.body().path("error").path("message").asString()).contains("hardPity must be between 1");
        Admin.Reply noSr = admin.call("POST", "/v1/admin/banners", "{\"name\":\"x\",\"starts_at\":" + now
                + ",\"ends_at\":" + (now + 3600) + ",\"rules\":\"genshin\",\"cards\":[{\"card_id\":\"" + ur + "\"}]}");
        assertThat(noSr.status()).isEqualTo(400);
        assertThat(noSr.body().path("error").path("message").asString()).contains("pool does not fit the rules");

        JsonNode banner = admin.call("POST", "/v1/admin/banners", "{\"name\":\"Lyra rising\",\"starts_at\":" + now
                + ",\"ends_at\":" + (now + 3600) + ",\"rules\":" + rules + ",\"cards\":" + pool + "}").ok();
        assertThat(banner.path("pull_cost").asLong()).isEqualTo(160);
        assertThat(banner.path("ten_pull_cost").asLong()).isEqualTo(1600);
        assertThat(banner.path("banner_type").asString()).isEqualTo("lyra");
        assertThat(banner.path("overall_rates").path("UR").asDouble()).isBetween(0.01605, 0.01606);
        double featuredChance = banner.path("cards").get(0).path("chance_per_pull").asDouble();
        assertThat(featuredChance).as("2/3 of the URs, one featured card").isBetween(0.0107, 0.0108);
        assertThat(banner.path("rules").path("hardPity").asInt()).isEqualTo(90);
        String id = banner.path("id").asString();

        Admin.Reply delete = admin.call("DELETE", "/v1/admin/banners/" + id, null);
        assertThat(delete.status()).as("started banners are ended, not deleted").isEqualTo(409);
        Admin.Reply rarity = admin.call("POST", "/v1/admin/cards/" + ur, "{\"rarity\":\"R\"}");
        assertThat(rarity.status()).as("its published odds name the rarity").isEqualTo(409);
        assertThat(admin.call("POST", "/v1/admin/cards/" + ur, "{\"name\":\"Comet II\"}").ok().path("name").asString())
                .isEqualTo("Comet II");
        JsonNode ended = admin.call("POST", "/v1/admin/banners/" + id + "/end", null).ok();
        assertThat(ended.path("ends_at").asLong()).isLessThanOrEqualTo(System.currentTimeMillis() / 1000);
        Admin.Reply otherPity = admin.call("POST", "/v1/admin/banners", "{\"name\":\"y\",\"starts_at\":" + (now + 60)
                + ",\"ends_at\":" + (now + 3600) + ",\"rules\":{\"preset\":\"genshin\",\"banner_type\":\"lyra\","
                + "\"sr_featured\":null,\"hard_pity\":80},\"cards\":" + pool + "}");
        assertThat(otherPity.status()).isEqualTo(400);
        assertThat(otherPity.body().path("error").path("message").asString()).contains("share their pity counters");
        JsonNode later = admin.call("POST", "/v1/admin/banners", "{\"name\":\"later\",\"starts_at\":" + (now + 600)
                + ",\"ends_at\":" + (now + 3600) + ",\"rules\":" + rules + ",\"cards\":" + pool + "}").ok();
        assertThat(admin.call("DELETE", "/v1/admin/banners/" + later.path("id").asString(), null).ok()
                .path("deleted").asBoolean()).isTrue();
        assertThat(admin.call("GET", "/v1/admin/banners/" + later.path("id").asString(), null).status())
                .isEqualTo(404);
    }
}
