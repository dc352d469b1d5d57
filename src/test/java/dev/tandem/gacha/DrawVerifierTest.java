package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A draw made on the server, recomputed from the revealed seed as a player would. */
class DrawVerifierTest {

    static final BannerRules RULES = BannerRules.genshinLike();
    static final CardPool POOL = CardPoolTest.POOL;

    final ServerSeed seed = ServerSeed.generate(new SecureRandom());
    final String shownHash = seed.hash(); // shown to the player before the draw
    final PityState before = new PityState(75, 8, false, true);
    final List<Pull> drawn = DrawEngine.tenPull(RULES, before, new ProvablyFair(seed, "my-client-seed", 17));

    @Test
    void theRevealedSeedRecomputesTheDrawAndItsCards() {
        DrawVerifier.Verification verification = DrawVerifier.verify(shownHash, seed, "my-client-seed", 17, RULES,
                before, 10);

        assertThat(verification.seedMatchesShownHash()).isTrue();
        assertThat(verification.pulls()).isEqualTo(drawn);
        assertThat(verification.confirms(drawn)).isTrue();
        assertThat(verification.cards(POOL)).isEqualTo(drawn.stream().map(POOL::cardFor).toList());
    }

    @Test
    void aSeedOtherThanTheCommittedOneIsRejected() {
        ServerSeed other = ServerSeed.generate(new SecureRandom());
        DrawVerifier.Verification verification = DrawVerifier.verify(shownHash, other, "my-client-seed", 17, RULES,
                before, 10);

        assertThat(verification.seedMatchesShownHash()).isFalse();
        assertThat(verification.confirms(drawn)).isFalse();
        assertThat(verification.pulls()).isNotEqualTo(drawn); // its values differ (ten card rolls alone)
    }

    @Test
    void aClaimThatDiffersFromTheRecomputedDrawIsNotConfirmed() {
        List<Pull> tampered = new ArrayList<>(drawn);
        Pull first = tampered.getFirst();
        tampered.set(0, new Pull(first.rarity(), !first.featured(), first.cardRoll(), first.after()));
        DrawVerifier.Verification verification = DrawVerifier.verify(shownHash, seed, "my-client-seed", 17, RULES,
                before, 10);

        assertThat(verification.confirms(tampered)).isFalse();
        // and the right seed with another pity before, nonce or client seed does not confirm the draw either
        assertThat(DrawVerifier.verify(shownHash, seed, "my-client-seed", 18, RULES, before, 10).confirms(drawn))
                .isFalse();
        assertThat(DrawVerifier.verify(shownHash, seed, "my-client-seed", 17, RULES, PityState.FRESH, 10)
                .confirms(drawn)).isFalse();
    }

    @Test
    void aCountOutsideOneToAHundredIsRefused() {
        assertThatThrownBy(() -> DrawVerifier.verify(shownHash, seed, "c", 0, RULES, before, 0))
                .hasMessage("count must be between 1 and 100, was 0");
    }
}
