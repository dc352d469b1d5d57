package dev.tandem.companion.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.support.Browser;
import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What people upload is untrusted: a card with script and event handlers in every field shows as text on every
 * page; bad pictures and bad cards are refused with a message that says what was wrong, and nothing is stored.
 */
class UntrustedInputTest {

    static final String SCRIPT = "<script>document.title='pwned'</script>";
    static final String HANDLER = "<img src=x onerror=\"document.title='pwned'\">";
    static TandemServer server;

    @BeforeAll
    static void start() {
        Map<String, String> s = new LinkedHashMap<>(CompanionAppTest.settings());
        s.put("tandem.companion.avatar-max-bytes", "200000");
        server = TandemServer.start(s);
    }

    @AfterAll
    static void stop() {
        Closing.all(server);
    }

    static byte[] hostileCard() {
        String evil = SCRIPT + " " + HANDLER;
        String j = "\"" + evil.replace("\"", "\\\"") + "\"";
        return ("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":" + j + ",\"description\":" + j
                + ",\"personality\":" + j + ",\"scenario\":" + j + ",\"first_mes\":" + j + ",\"mes_example\":" + j
                + ",\"creator_notes\":" + j + ",\"system_prompt\":" + j + ",\"post_history_instructions\":" + j
                + ",\"alternate_greetings\":[" + j + "],\"tags\":[" + j + ",\"evil\"],\"creator\":" + j
                + ",\"character_version\":" + j + ",\"extensions\":{}}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCardWithScriptInEveryFieldShowsTextOnEveryPage() {
        Browser b = CompanionAppTest.signUp(server, 30);
        Browser.Reply r = b.upload("/import", Map.of("visibility", "public", "rating", "everyone"), "file",
                "evil.json", hostileCard());
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        String id = r.header("location").replaceAll(".*/c/", "");
        String chat = CompanionAppTest.startChat(b, id);
        for (String page : new String[] {"/c/" + id, "/chats/" + chat, "/chats", "/?tab=new", "/search?q=pwned",
                "/tags/evil", "/c/" + id + "/edit"}) {
            Browser.Reply p = b.get(page).ok();
            assertThat(p.body()).as(page).doesNotContain("<script>document").doesNotContain("<img src=x")
                    .contains("&lt;script&gt;document.title=");
            assertThat(p.header("content-security-policy")).as(page).contains("script-src 'self'");
        }
    }

    static byte[] png(int w, int h) throws Exception {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static Stream<Arguments> badPictures() throws Exception {
        byte[] good = png(64, 64);
        byte[] corrupt = Arrays.copyOf(good, good.length);
        Arrays.fill(corrupt, 40, corrupt.length, (byte) 7);
        byte[] huge = new byte[300_000];
        System.arraycopy(good, 0, huge, 0, good.length);
        return Stream.of(
                Arguments.of("not an image", "notes.txt", "just some text".getBytes(StandardCharsets.UTF_8),
                        "not a PNG, JPEG or GIF"),
                Arguments.of("corrupt PNG", "broken.png", corrupt, "damaged"),
                Arguments.of("oversized", "big.png", huge, "larger than"),
                Arguments.of("too many pixels", "wide.png", png(20_000, 2_100), "megapixels"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPictures")
    void badPicturesAreRefusedWithTheReasonAndNothingIsMade(String what, String name, byte[] file, String reason) {
        Browser b = CompanionAppTest.signUp(server, 30);
        Browser.Reply r = b.upload("/create", Map.of("name", "Picture test " + what, "visibility", "public",
                "rating", "everyone"), "avatar", name, file);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains(reason);
        assertThat(b.get("/search?q=" + "Picture").ok().body()).doesNotContain("Picture test " + what);
    }

    @Test
    void aGoodPictureIsStoredScaledAsPng() throws Exception {
        Browser b = CompanionAppTest.signUp(server, 30);
        Browser.Reply r = b.upload("/create", Map.of("name", "Scaled", "visibility", "public", "rating", "everyone"),
                "avatar", "big.png", png(1500, 1000));
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        String page = b.get(r.header("location").replaceAll("^https?://[^/]+", "")).ok().body();
        String image = page.replaceAll("(?s).*src=\"(/images/img_[A-Za-z0-9]+)\".*", "$1");
        BufferedImage stored = ImageIO.read(new java.io.ByteArrayInputStream(b.download(image)));
        assertThat(stored.getWidth()).isEqualTo(512);
        assertThat(stored.getHeight()).isEqualTo(341);
    }

    static Stream<Arguments> badCards() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"spec\":\"chara_card_v2\",\"data\":{\"name\":".getBytes(
                        StandardCharsets.UTF_8), "cannot be imported"),
                Arguments.of("a PNG without a card", null, "cannot be imported"),
                Arguments.of("an empty file", new byte[0], "Choose a card file"),
                Arguments.of("no name", "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{}}".getBytes(
                        StandardCharsets.UTF_8), "no name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCards")
    void badCardsAreRefusedWithTheReason(String what, byte[] file, String reason) throws Exception {
        Browser b = CompanionAppTest.signUp(server, 30);
        Browser.Reply r = b.upload("/import", Map.of("visibility", "private", "rating", "teen"), "file", "card",
                file == null ? png(10, 10) : file);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(reason);
    }
}
