package dev.tandem.gacha;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gacha verify}: recomputes a provably fair draw from its revealed server seed and prints it, so a player
 * (or support) can check a draw without the server. No Spring; {@code java -jar tandem.jar gacha verify ...} runs
 * it.
 *
 * <pre>
 * gacha verify --server-seed HEX --client-seed SEED --nonce N --rules genshin|RULES.json
 *              [--pity pullsSinceTop,pullsSinceSr[,topGuaranteed[,srGuaranteed]]] [--count N]
 *              [--shown-hash HEX] [--pool POOL.json]
 * </pre>
 * The rules file is the JSON of a {@link BannerRules} record, the pool file that of a {@link CardPool}. Exit status:
 * 0 when recomputed (and the seed matches {@code --shown-hash} if given), 1 when the seed does not match the shown
 * hash, 2 for wrong arguments.
 */
public final class VerifyCommand {

    static final String USAGE = """
            usage: gacha verify --server-seed HEX --client-seed SEED --nonce N --rules genshin|RULES.json
                                [--pity pullsSinceTop,pullsSinceSr[,topGuaranteed[,srGuaranteed]]] [--count N]
                                [--shown-hash HEX] [--pool POOL.json]""";

    private static final Set<String> OPTIONS = Set.of("--server-seed", "--client-seed", "--nonce", "--rules",
            "--pity", "--count", "--shown-hash", "--pool");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the command on {@code args} (those after {@code gacha verify}), printing to {@code out}.
     *
     * @return the exit status: 0 verified, 1 seed does not match the shown hash, 2 wrong arguments
     */
    public static int run(String[] args, PrintStream out) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        Map<String, String> options;
        DrawVerifier.Verification verification;
        @Nullable CardPool pool = null;
        String shownHash;
        try {
            options = options(args);
            ServerSeed seed = new ServerSeed(required(options, "--server-seed"));
            BannerRules rules = rules(required(options, "--rules"));
            if (options.containsKey("--pool")) {
                pool = JSON.readValue(Files.readString(Path.of(options.get("--pool"))), CardPool.class)
                        .checkFits(rules);
            }
            shownHash = options.getOrDefault("--shown-hash", seed.hash());
            verification = DrawVerifier.verify(shownHash, seed, required(options, "--client-seed"),
                    wholeNumber("--nonce", required(options, "--nonce")), rules,
                    pity(options.getOrDefault("--pity", "0,0")),
                    count(options.getOrDefault("--count", "1")));
        } catch (IllegalArgumentException e) {
            out.println("gacha verify: " + e.getMessage());
            out.println(USAGE);
            return 2;
        } catch (IOException e) {
            out.println("gacha verify: cannot read " + e.getMessage());
            return 2;
        } catch (JacksonException e) {
            out.println("gacha verify: " + (e.getCause() instanceof IllegalArgumentException cause
                    ? cause.getMessage() : e.getOriginalMessage()));
            return 2;
        }
        out.println("server seed hash: " + verification.seedHash());
        if (!options.containsKey("--shown-hash")) {
            out.println("shown hash: not given (pass --shown-hash to check the seed was the one committed to)");
        } else if (verification.seedMatchesShownHash()) {
            out.println("shown hash: matches");
        } else {
            out.println("shown hash: DIFFERS (" + shownHash + "): this seed is not the one committed to");
        }
        List<Pull> pulls = verification.pulls();
        List<String> cards = pool == null ? List.of() : verification.cards(pool);
        for (int i = 0; i < pulls.size(); i++) {
            Pull pull = pulls.get(i);
            out.println("pull " + (i + 1) + ": " + pull.rarity() + (pull.featured() ? " featured" : "")
                    + (cards.isEmpty() ? "" : " " + cards.get(i)));
        }
        PityState after = pulls.getLast().after();
        out.println("pity after: " + after.pullsSinceTop() + "," + after.pullsSinceSr() + ","
                + after.topFeaturedGuaranteed() + "," + after.srFeaturedGuaranteed());
        return verification.seedMatchesShownHash() ? 0 : 1;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            if (options.put(args[i], args[i + 1]) != null) {
                throw new IllegalArgumentException(args[i] + " is given twice");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static long wholeNumber(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }

    private static int count(String value) {
        long count = wholeNumber("--count", value);
        if (count < 1 || count > DrawVerifier.MAX_PULLS) {
            throw new IllegalArgumentException("--count must be between 1 and " + DrawVerifier.MAX_PULLS
                    + ", was " + value);
        }
        return (int) count;
    }

    private static BannerRules rules(String value) throws IOException {
        if (value.equals("genshin")) {
            return BannerRules.genshinLike();
        }
        return JSON.readValue(Files.readString(Path.of(value)), BannerRules.class);
    }

    /** {@code pullsSinceTop,pullsSinceSr[,topGuaranteed[,srGuaranteed]]}, the flags {@code true} or {@code false}. */
    static PityState pity(String value) {
        String[] parts = value.split(",", -1);
        if (parts.length < 2 || parts.length > 4) {
            throw new IllegalArgumentException("--pity must be pullsSinceTop,pullsSinceSr[,topGuaranteed"
                    + "[,srGuaranteed]], was '" + value + "'");
        }
        return new PityState(counter("pullsSinceTop", parts[0]), counter("pullsSinceSr", parts[1]),
                parts.length > 2 && flag(parts[2]), parts.length > 3 && flag(parts[3]));
    }

    private static int counter(String name, String value) {
        long counter = wholeNumber("--pity " + name, value);
        if (counter < 0 || counter > BannerRules.MAX_HARD_PITY) {
            throw new IllegalArgumentException("--pity " + name + " must be between 0 and "
                    + BannerRules.MAX_HARD_PITY + ", was " + value);
        }
        return (int) counter;
    }

    private static boolean flag(String value) {
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--pity flags must be true or false, was '" + value + "'");
        };
    }
}
