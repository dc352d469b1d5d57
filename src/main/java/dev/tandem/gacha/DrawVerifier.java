package dev.tandem.gacha;

import java.util.List;

/**
 * Recomputes a past {@link ProvablyFair} draw once its server seed is revealed, and checks the seed against the hash
 * shown before the draw. Stateless and thread-safe.
 */
public final class DrawVerifier {

    /** The most pulls one draw may hold here; a draw is a single pull or a ten-pull. */
    public static final int MAX_PULLS = 100;

    private DrawVerifier() {
    }

    /**
     * What a revealed seed says about a draw.
     *
     * @param seedHash             SHA-256 of the revealed seed ({@link ServerSeed#hash()})
     * @param seedMatchesShownHash whether that equals the hash shown before the draw; if not, the seed is not the
     *                             one committed to and {@link #pulls} prove nothing
     * @param pulls                the draw's pulls recomputed from the revealed seed, in order
     */
    public record Verification(String seedHash, boolean seedMatchesShownHash, List<Pull> pulls) {

        public Verification {
            pulls = List.copyOf(pulls);
        }

        /** Whether the seed matches its shown hash and the recomputed pulls are exactly {@code claimed}. */
        public boolean confirms(List<Pull> claimed) {
            return seedMatchesShownHash && pulls.equals(claimed);
        }

        /** The recomputed pulls' card ids in {@code pool}, in order (see {@link CardPool#cardFor}). */
        public List<String> cards(CardPool pool) {
            return pulls.stream().map(pool::cardFor).toList();
        }
    }

    /**
     * Recomputes a draw.
     *
     * @param shownHash  the hash shown to the player before the draw
     * @param revealed   the server seed revealed after it
     * @param clientSeed the player's client seed of the draw
     * @param nonce      the draw's nonce
     * @param rules      the banner's rules at the time of the draw
     * @param before     the player's pity before the draw
     * @param count      how many pulls the draw held (1 or 10 for single and ten-pulls), 1 to {@value #MAX_PULLS}
     * @throws IllegalArgumentException when an argument breaks its rule (client seed, nonce, pity, count)
     */
    public static Verification verify(String shownHash, ServerSeed revealed, String clientSeed, long nonce,
            BannerRules rules, PityState before, int count) {
        if (count < 1 || count > MAX_PULLS) {
            throw new IllegalArgumentException("count must be between 1 and " + MAX_PULLS + ", was " + count);
        }
        List<Pull> pulls = DrawEngine.pulls(rules, before, new ProvablyFair(revealed, clientSeed, nonce), count);
        return new Verification(revealed.hash(), revealed.matches(shownHash), pulls);
    }
}
