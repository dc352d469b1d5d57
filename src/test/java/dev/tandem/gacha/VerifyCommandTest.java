package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** {@code gacha verify} as a player runs it, output read back line by line. */
class VerifyCommandTest {

    static final ServerSeed SEED = ProvablyFairTest.SEED;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    record Run(int status, List<String> lines) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = VerifyCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(status, bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** The lines the command should print for these pulls: one per pull, then the pity after. */
    static List<String> expectedPullLines(List<Pull> pulls, @Nullable CardPool pool) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < pulls.size(); i++) {
            Pull p = pulls.get(i);
            lines.add("pull " + (i + 1) + ": " + p.rarity() + (p.featured() ? " featured" : "")
                    + (pool == null ? "" : " " + pool.cardFor(p)));
        }
        PityState after = pulls.getLast().after();
        lines.add("pity after: " + after.pullsSinceTop() + "," + after.pullsSinceSr() + ","
                + after.topFeaturedGuaranteed() + "," + after.srFeaturedGuaranteed());
        return lines;
    }

    @Test
    void printsTheRecomputedTenPullAndConfirmsTheShownHash() {
        PityState before = new PityState(80, 9, true, false);
        List<Pull> drawn = DrawEngine.tenPull(BannerRules.genshinLike(), before, new ProvablyFair(SEED, "c-1", 5));

        Run run = run("--server-seed", SEED.hex(), "--client-seed", "c-1", "--nonce", "5", "--rules", "genshin",
                "--pity", "80,9,true,false", "--count", "10", "--shown-hash", SEED.hash());

        assertThat(run.status()).as("%s", run.lines()).isZero();
        assertThat(run.lines()).startsWith("server seed hash: " + SEED.hash(), "shown hash: matches");
        assertThat(run.lines().subList(2, run.lines().size())).isEqualTo(expectedPullLines(drawn, null));
    }

    @Test
    void aSeedThatDoesNotMatchTheShownHashExitsWithOne() {
        Run run = run("--server-seed", SEED.hex(), "--client-seed", "c-1", "--nonce", "5", "--rules", "genshin",
                "--shown-hash", "ab".repeat(32));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.lines()).contains("shown hash: DIFFERS (" + "ab".repeat(32)
                + "): this seed is not the one committed to");
    }

    @Test
    void rulesAndPoolComeFromJsonFiles() throws Exception {
        Path rules = dir.resolve("rules.json");
        Files.writeString(rules, JSON.writeValueAsString(RatesTest.FOUR_TIERS));
        CardPool pool = new CardPool(Map.of(Rarity.R, List.of("sword", "bow"), Rarity.SR, List.of("bard"),
                Rarity.SSR, List.of("gryphon", "sphinx"), Rarity.UR, List.of("witch")),
                Map.of(Rarity.UR, List.of("dragon")));
        Path poolFile = dir.resolve("pool.json");
        Files.writeString(poolFile, JSON.writeValueAsString(pool));
        List<Pull> drawn = DrawEngine.pulls(RatesTest.FOUR_TIERS, PityState.FRESH, new ProvablyFair(SEED, "c", 0), 10);

        Run run = run("--server-seed", SEED.hex(), "--client-seed", "c", "--nonce", "0", "--rules", rules.toString(),
                "--pool", poolFile.toString(), "--count", "10");

        assertThat(run.status()).as("%s", run.lines()).isZero();
        assertThat(run.lines().get(1)).startsWith("shown hash: not given");
        assertThat(run.lines().subList(2, run.lines().size())).isEqualTo(expectedPullLines(drawn, pool));
    }

    @Test
    void wrongArgumentsExitWithTwoSayingWhatIsWrong() {
        assertThat(run("--client-seed", "c", "--nonce", "0", "--rules", "genshin"))
                .isEqualTo(new Run(2, List.of("gacha verify: --server-seed is required",
                        VerifyCommand.USAGE.lines().toList().get(0), VerifyCommand.USAGE.lines().toList().get(1),
                        VerifyCommand.USAGE.lines().toList().get(2))));
        assertThat(firstLine("--server-seed", SEED.hex(), "--client-seed", "c", "--nonce", "x", "--rules", "genshin"))
                .isEqualTo("gacha verify: --nonce must be a whole number, was 'x'");
        assertThat(firstLine("--server-seed", SEED.hex(), "--client-seed", "c", "--nonce", "1", "--rules", "genshin",
                "--pity", "90,0")).isEqualTo("gacha verify: pullsSinceTop must be below hardPity (90) on banner type "
                        + "'character', was 90");
        assertThat(firstLine("--server-seed", SEED.hex(), "--client-seed", "c", "--nonce", "1", "--rules", "genshin",
                "--pity", "1,2,maybe")).isEqualTo("gacha verify: --pity flags must be true or false, was 'maybe'");
        assertThat(firstLine("--server-seed", SEED.hex(), "--client-seed", "c", "--nonce", "1", "--rules", "genshin",
                "--count", "0")).isEqualTo("gacha verify: --count must be between 1 and 100, was 0");
        assertThat(firstLine("--seed", "x")).isEqualTo("gacha verify: unknown option '--seed'");
        assertThat(firstLine("--server-seed")).isEqualTo("gacha verify: --server-seed needs a value");
        assertThat(firstLine("--server-seed", "abc", "--rules", "genshin"))
                .isEqualTo("gacha verify: server seed must be 64 hex characters (32 bytes), was 3 characters");
    }

    @Test
    void rulesThatBreakARuleAreReportedByTheirMessage() throws Exception {
        Path rules = dir.resolve("bad.json");
        Files.writeString(rules, JSON.writeValueAsString(RatesTest.FOUR_TIERS).replace("800000", "700000"));

        Run run = run("--server-seed", SEED.hex(), "--client-seed", "c", "--nonce", "0", "--rules", rules.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.lines().getFirst()).isEqualTo("gacha verify: baseRatesPpm must sum to 1000000 (100%), was 900000");
        assertThat(firstLine("--server-seed", SEED.hex(), "--client-seed", "c", "--nonce", "0", "--rules",
                dir.resolve("missing.json").toString())).startsWith("gacha verify: cannot read ");
    }

    static String firstLine(String... args) {
        Run run = run(args);
        assertThat(run.status()).isEqualTo(2);
        return run.lines().getFirst();
    }
}
