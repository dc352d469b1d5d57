package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** The rules' validation, each broken rule named, and the top-rarity chance curve. */
class BannerRulesTest {

    static final Map<Rarity, Integer> RATES = Map.of(Rarity.R, 943_000, Rarity.SR, 51_000, Rarity.SSR, 0,
            Rarity.UR, 6_000);
    static final BannerRules.Featured HALF = new BannerRules.Featured(500_000, true);

    static Map<Rarity, Integer> rates(Rarity rarity, int rate) {
        Map<Rarity, Integer> rates = new EnumMap<>(RATES);
        rates.put(rarity, rate);
        return rates;
    }

    static Stream<Arguments> brokenRules() {
        Map<Rarity, Integer> withoutSsr = new HashMap<>(RATES);
        withoutSsr.remove(Rarity.SSR);
        return Stream.of(
                Arguments.of("rates summing to 999,000", (Runnable) () -> new BannerRules("character",
                        rates(Rarity.R, 942_000), 74, 60_000, 90, HALF, 10, HALF),
                        "baseRatesPpm must sum to 1000000 (100%), was 999000"),
                Arguments.of("a rarity missing", (Runnable) () -> new BannerRules("character", withoutSsr, 74,
                        60_000, 90, HALF, 10, HALF), "baseRatesPpm must name every rarity (R, SR, SSR, UR); SSR is missing"),
                Arguments.of("a negative rate", (Runnable) () -> new BannerRules("character",
                        rates(Rarity.SSR, -1), 74, 60_000, 90, HALF, 10, HALF),
                        "baseRatesPpm[SSR] must be between 0 and 1000000, was -1"),
                Arguments.of("hard pity below soft pity", (Runnable) () -> new BannerRules("character", RATES, 74,
                        60_000, 70, HALF, 10, HALF), "softPityStart must be between 1 and hardPity (70), was 74"),
                Arguments.of("soft pity at 0", (Runnable) () -> new BannerRules("character", RATES, 0, 60_000, 90,
                        HALF, 10, HALF), "softPityStart must be between 1 and hardPity (90), was 0"),
                Arguments.of("hard pity of 0", (Runnable) () -> new BannerRules("character", RATES, 1, 60_000, 0,
                        HALF, 10, HALF), "hardPity must be between 1 and 1000, was 0"),
                Arguments.of("hard pity over 1000", (Runnable) () -> new BannerRules("character", RATES, 74,
                        60_000, 1_001, HALF, 10, HALF), "hardPity must be between 1 and 1000, was 1001"),
                Arguments.of("a negative increment", (Runnable) () -> new BannerRules("character", RATES, 74, -5,
                        90, HALF, 10, HALF), "softPityIncrementPpm must be between 0 and 1000000, was -5"),
                Arguments.of("SR pity of 11", (Runnable) () -> new BannerRules("character", RATES, 74, 60_000, 90,
                        HALF, 11, HALF), "srPity must be between 1 and 10 (so every ten-pull holds SR or better), was 11"),
                Arguments.of("SR pity of 0", (Runnable) () -> new BannerRules("character", RATES, 74, 60_000, 90,
                        HALF, 0, HALF), "srPity must be between 1 and 10 (so every ten-pull holds SR or better), was 0"),
                Arguments.of("a featured share of 0", (Runnable) () -> new BannerRules.Featured(0, true),
                        "featured sharePpm must be between 1 and 1000000 (100%), was 0"),
                Arguments.of("a featured share over 100 %", (Runnable) () -> new BannerRules.Featured(1_000_001, false),
                        "featured sharePpm must be between 1 and 1000000 (100%), was 1000001"),
                Arguments.of("a banner type with spaces", (Runnable) () -> new BannerRules("Character Event", RATES,
                        74, 60_000, 90, HALF, 10, HALF), "bannerType must be 1 to 64 characters of a-z, 0-9, '-' or '_', "
                        + "starting with a letter or digit, was 'Character Event'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void brokenRulesAreRefusedNamingTheRule(String what, Runnable construction, String message) {
        assertThatThrownBy(construction::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void genshinLikeTopChanceFollowsTheCommunityModel() {
        BannerRules rules = BannerRules.genshinLike();

        assertThat(rules.topChancePpm(1)).isEqualTo(6_000);
        assertThat(rules.topChancePpm(73)).isEqualTo(6_000);
        assertThat(rules.topChancePpm(74)).isEqualTo(66_000); // 6.6 %
        assertThat(rules.topChancePpm(75)).isEqualTo(126_000); // 12.6 %
        assertThat(rules.topChancePpm(89)).isEqualTo(966_000); // 96.6 %
        assertThat(rules.topChancePpm(90)).isEqualTo(1_000_000);
        assertThatThrownBy(() -> rules.topChancePpm(0)).hasMessage("pull number n must be 1 or more, was 0");
    }

    @Test
    void theTopChanceIsCappedAtCertaintyBeforeTheHardPity() {
        BannerRules steep = new BannerRules("steep", RATES, 10, 400_000, 90, null, 10, null);

        assertThat(steep.topChancePpm(11)).isEqualTo(806_000);
        assertThat(steep.topChancePpm(12)).isEqualTo(1_000_000);
    }

    @Test
    void rulesReadFromJsonAreTheSameRules() {
        JsonMapper json = JsonMapper.builder().build();
        BannerRules genshin = BannerRules.genshinLike();

        assertThat(json.readValue(json.writeValueAsString(genshin), BannerRules.class)).isEqualTo(genshin);
    }
}
