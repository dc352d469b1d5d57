package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Server seeds: their form, their commitment hash, and that they stay out of logs. */
class ServerSeedTest {

    @Test
    void aGeneratedSeedIs32RandomBytesInHex() {
        SecureRandom random = new SecureRandom();
        ServerSeed one = ServerSeed.generate(random);
        ServerSeed two = ServerSeed.generate(random);

        assertThat(one.hex()).matches("[0-9a-f]{64}");
        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void theHashIsSha256OfTheSeedsCharacters() {
        // printf %s 000...000 | sha256sum  (64 zeros), and the same for ...001
        assertThat(new ServerSeed("0".repeat(64)).hash())
                .isEqualTo("60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55");
        assertThat(ProvablyFairTest.SEED.hash())
                .isEqualTo("c386d8e8d07342f2e39e189c8e6c57bb205bb373fe4e3a6f69404a8bb767b417");
    }

    @Test
    void aSeedMatchesItsHashInEitherCaseAndNoOtherHash() {
        ServerSeed seed = ProvablyFairTest.SEED;

        assertThat(seed.matches(seed.hash())).isTrue();
        assertThat(seed.matches(seed.hash().toUpperCase())).isTrue();
        assertThat(seed.matches(new ServerSeed("0".repeat(64)).hash())).isFalse();
        assertThat(seed.matches("")).isFalse();
    }

    @Test
    void upperCaseHexIsTheSameSeed() {
        assertThat(new ServerSeed("AB".repeat(32))).isEqualTo(new ServerSeed("ab".repeat(32)));
    }

    @Test
    void theSeedStaysOutOfToString() {
        ServerSeed seed = ServerSeed.generate(new SecureRandom());

        assertThat(seed.toString()).doesNotContain(seed.hex()).contains(seed.hash());
    }

    @Test
    void anythingBut64HexCharactersIsRefused() {
        assertThatThrownBy(() -> new ServerSeed("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("server seed must be 64 hex characters (32 bytes), was 3 characters");
        assertThatThrownBy(() -> new ServerSeed("g".repeat(64)))
                .hasMessage("server seed must be 64 hex characters (32 bytes), was 64 characters with a non-hex one");
    }
}
