package dev.tandem.companion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Character cards in every format, starting from a real card exported by SillyTavern
 * ({@code ../shared/fixtures/cards/seraphina.png}): what is read, and that nothing is lost on the way back out —
 * lorebook, greetings, unknown fields and unknown extensions included.
 */
class CharacterCardsTest {

    static final Path FIXTURES = Path.of("..", "shared", "fixtures", "cards").toAbsolutePath().normalize();
    static byte[] seraphinaPng;
    static CharacterCard seraphina;

    @BeforeAll
    static void read() throws Exception {
        Path png = FIXTURES.resolve("seraphina.png");
        assumeTrue(Files.isRegularFile(png), "the SillyTavern fixture " + png + " is not here");
        seraphinaPng = Files.readAllBytes(png);
        seraphina = CharacterCards.read(seraphinaPng);
    }

    @Test
    void aSillyTavernPngCardIsReadWithItsLorebookAndGreetings() {
        assertThat(seraphina.sourceVersion()).isEqualTo(2);
        assertThat(seraphina.name()).isEqualTo("Seraphina");
        assertThat(seraphina.description()).isNotBlank();
        assertThat(seraphina.firstMessage()).isNotBlank();
        assertThat(seraphina.data().path("alternate_greetings").isArray()).isTrue(); // empty in this card
        assertThat(seraphina.tags()).isNotNull();
        JsonNode book = seraphina.characterBook();
        assertThat(book).isNotNull();
        assertThat(book.path("entries").size()).isPositive();
        assertThat(seraphina.image()).isEqualTo(seraphinaPng);
    }

    /** The card with an unknown field and an unknown extension added, as other tools leave them. */
    static CharacterCard withStrangers() {
        ObjectNode data = seraphina.data().deepCopy();
        data.put("x_unknown_field", "kept");
        data.withArray("alternate_greetings").add("A second hello, {{user}}.");
        ObjectNode ext = data.withObject("extensions");
        ext.putObject("some_other_tool").put("depth", 4).putArray("list").add(1).add("two");
        return new CharacterCard(2, data, seraphina.image());
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of("V2 JSON", (UnaryOperator<CharacterCard>) c -> CharacterCards.read(
                        CharacterCards.toV2Json(c))),
                Arguments.of("V3 JSON", (UnaryOperator<CharacterCard>) c -> CharacterCards.read(
                        CharacterCards.toV3Json(c))),
                Arguments.of("PNG", (UnaryOperator<CharacterCard>) c -> CharacterCards.read(
                        CharacterCards.toPng(c, null))),
                Arguments.of("CHARX", (UnaryOperator<CharacterCard>) c -> CharacterCards.read(
                        CharacterCards.toCharx(c))),
                Arguments.of("PNG, then CHARX, then V2 JSON", (UnaryOperator<CharacterCard>) c -> {
                    CharacterCard p = CharacterCards.read(CharacterCards.toPng(c, null));
                    CharacterCard x = CharacterCards.read(CharacterCards.toCharx(p));
                    return CharacterCards.read(CharacterCards.toV2Json(x));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void nothingIsLostOnTheWayOutAndBackIn(String format, UnaryOperator<CharacterCard> trip) {
        CharacterCard before = withStrangers();
        CharacterCard after = trip.apply(before);
        // every field of the original is there, unchanged (V3 only adds the fields it requires)
        before.data().properties().forEach(e -> assertThat(after.data().get(e.getKey()))
                .as(format + ": " + e.getKey()).isEqualTo(e.getValue()));
        assertThat(after.data().path("extensions").path("some_other_tool").path("list").toString())
                .isEqualTo("[1,\"two\"]");
        assertThat(after.data().path("x_unknown_field").asString()).isEqualTo("kept");
        assertThat(after.characterBook()).isEqualTo(seraphina.characterBook());
        assertThat(after.alternateGreetings()).containsExactly("A second hello, {{user}}.");
    }

    @Test
    void aWrittenPngIsAValidPictureThatCarriesBothCardChunks() throws Exception {
        byte[] png = CharacterCards.toPng(withStrangers(), null);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(seraphinaPng));
        assertThat(img.getWidth()).isEqualTo(original.getWidth());
        assertThat(img.getHeight()).isEqualTo(original.getHeight());
        String latin = new String(png, StandardCharsets.ISO_8859_1);
        assertThat(latin).contains("tEXtchara\0").contains("tEXtccv3\0");
        // a card read from the V3 chunk says so
        assertThat(CharacterCards.read(png).sourceVersion()).isEqualTo(3);
        // writing again replaces the chunks instead of adding more
        byte[] again = CharacterCards.toPng(CharacterCards.read(png), null);
        assertThat(count(new String(again, StandardCharsets.ISO_8859_1), "tEXtchara\0")).isEqualTo(1);
    }

    @Test
    void aCharxCarriesThePictureAsItsMainIcon() {
        byte[] charx = CharacterCards.toCharx(withStrangers());
        CharacterCard back = CharacterCards.read(charx);
        assertThat(back.sourceVersion()).isEqualTo(3);
        assertThat(back.image()).isEqualTo(seraphinaPng);
        assertThat(back.data().path("assets").get(0).path("uri").asString())
                .isEqualTo("embeded://assets/icon/images/main.png");
    }

    @Test
    void aV1CardIsLiftedIntoTheV2Layout() {
        CharacterCard v1 = CharacterCards.read(("{\"name\":\"Old\",\"description\":\"from 2023\",\"first_mes\":"
                + "\"Hello {{user}}\",\"mes_example\":\"<START>\",\"personality\":\"calm\",\"scenario\":\"a porch\","
                + "\"metadata\":{\"tool\":\"TavernAI\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(v1.sourceVersion()).isEqualTo(1);
        assertThat(v1.name()).isEqualTo("Old");
        assertThat(v1.firstMessage()).isEqualTo("Hello {{user}}");
        JsonNode v2 = JsonMapper.builder().build().readTree(CharacterCards.toV2Json(v1));
        assertThat(v2.path("spec").asString()).isEqualTo("chara_card_v2");
        assertThat(v2.path("data").path("alternate_greetings").isArray()).isTrue();
        assertThat(v2.path("data").path("metadata").path("tool").asString()).isEqualTo("TavernAI");
    }

    @Test
    void filesThatAreNotCardsAreRefusedWithTheReason() throws Exception {
        assertThatThrownBy(() -> CharacterCards.read("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CardException.class).hasMessageContaining("neither a PNG");
        assertThatThrownBy(() -> CharacterCards.read("{\"spec\":\"chara_card_v9\",\"data\":{}}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("chara_card_v9");
        assertThatThrownBy(() -> CharacterCards.read("{\"description\":\"nameless\"}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no name");
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", plain);
        assertThatThrownBy(() -> CharacterCards.read(plain.toByteArray())).hasMessageContaining("no character card");
        byte[] damaged = seraphinaPng.clone();
        damaged[40] ^= 0x55;
        assertThatThrownBy(() -> CharacterCards.read(damaged)).hasMessageContaining("damaged");
        assertThatThrownBy(() -> CharacterCards.read(new byte[] {'P', 'K', 3, 4, 0, 0}))
                .isInstanceOf(CardException.class);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
