package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provably fair stream. The known answers were computed once and checked by hand with
 * {@code openssl dgst -sha256 -hmac} as {@code docs/provably-fair.md} shows.
 */
class ProvablyFairTest {

    static final ServerSeed SEED = new ServerSeed("0".repeat(63) + "1");

    static int[] values(ServerSeed seed, String clientSeed, long nonce, int count) {
        ProvablyFair stream = new ProvablyFair(seed, clientSeed, nonce);
        return IntStream.range(0, count).map(i -> stream.next()).toArray();
    }

    @Test
    void theSameSeedsAndNonceGiveTheSameValuesAndTheSameDraw() {
        assertThat(values(SEED, "player-seed", 42, 300)).isEqualTo(values(SEED, "player-seed", 42, 300));
        assertThat(DrawEngine.tenPull(BannerRules.genshinLike(), PityState.FRESH, new ProvablyFair(SEED, "a", 9)))
                .isEqualTo(DrawEngine.tenPull(BannerRules.genshinLike(), PityState.FRESH, new ProvablyFair(SEED, "a", 9)));
    }

    @Test
    void anyOtherNonceClientSeedOrServerSeedGivesOtherValues() {
        int[] base = values(SEED, "player-seed", 0, 30);
        assertThat(values(SEED, "player-seed", 1, 30)).isNotEqualTo(base);
        assertThat(values(SEED, "player-seee", 0, 30)).isNotEqualTo(base);
        assertThat(values(new ServerSeed("0".repeat(63) + "2"), "player-seed", 0, 30)).isNotEqualTo(base);
    }

    @Test
    void knownAnswerCrossingIntoTheSecondBlock() {
        // block 0 = HMAC-SHA256("000...001", "player-seed:0:0") = 317eb1e1 db8acc81 ...; value 9 is block 1's first
        ProvablyFair stream = new ProvablyFair(SEED, "player-seed", 0);
        int[] values = IntStream.range(0, 9).map(i -> stream.next()).toArray();

        assertThat(values).containsExactly(386657, 306625, 300647, 525515, 608660, 231654, 482695, 187976, 220266);
        assertThat(stream.blocksUsed()).isEqualTo(2);
    }

    @Test
    void knownAnswerWithADiscardedWord() {
        // block 0 of nonce 1090 is 7286c8c0 fff3f2d9 ...: its second word, 4,294,177,497, is discarded
        assertThat(values(SEED, "player-seed", 1090, 9))
                .containsExactly(435840, 636297, 951696, 984141, 60408, 65016, 178991, 871358, 153046);
    }

    @Test
    void wordsFrom4294000000UpAreDiscardedSoNoValueIsFavoured() {
        assertThat(ProvablyFair.ACCEPT_BELOW).isEqualTo(4_294_000_000L);
        assertThat(ProvablyFair.valueOf(0)).isZero();
        assertThat(ProvablyFair.valueOf(1_000_000)).isZero();
        assertThat(ProvablyFair.valueOf(4_293_999_999L)).isEqualTo(999_999);
        assertThat(ProvablyFair.valueOf(4_294_000_000L)).isEqualTo(-1);
        assertThat(ProvablyFair.valueOf(0xFFFF_FFFFL)).isEqualTo(-1);
    }

    @Test
    void valuesAreUniformOverTenBands() {
        long[] bands = new long[10];
        ProvablyFair stream = new ProvablyFair(SEED, "uniform", 0);
        for (int i = 0; i < 100_000; i++) {
            bands[stream.next() / 100_000]++;
        }
        double[] tenth = new double[10];
        Arrays.fill(tenth, 0.1);

        assertThat(ChiSquare.test(bands, tenth).rejects(RatesTest.ALPHA)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "tab\there", "ünïcode", "65-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void aClientSeedOutsidePrintableAsciiIsRefused(String clientSeed) {
        assertThatThrownBy(() -> new ProvablyFair(SEED, clientSeed, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("client seed must be 1 to 64 printable ASCII characters without spaces");
    }

    @Test
    void aNegativeNonceIsRefused() {
        assertThatThrownBy(() -> new ProvablyFair(SEED, "x", -1)).hasMessage("nonce must be 0 or more, was -1");
    }
}
