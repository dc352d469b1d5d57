package dev.tandem.gacha;

import java.util.List;

/**
 * A draw: one pull or a ten-pull on a banner, paid in gems, with what recomputes it.
 *
 * @param pulls      1 or 10
 * @param cost       the gems it took
 * @param gemsKey    the idempotency key of its gems spend on the ledger
 * @param serverHash SHA-256 of the server seed it used (shown before it)
 * @param clientSeed the client seed it used
 * @param nonce      its nonce under that server seed
 * @param pityBefore the person's pity on the banner type before it
 * @param shards     shards its duplicates gave
 * @param cards      its cards in pull order
 * @param repeated   true when this is the answer to a repeated key: nothing was drawn or paid now
 */
public record Draw(String id, String personId, String bannerId, String bannerType, int pulls, long cost,
        String gemsKey, String serverHash, String clientSeed, long nonce, PityState pityBefore, long shards,
        long createdAt, List<Drawn> cards, boolean repeated) {

    /**
     * One card of a draw.
     *
     * @param seq       its place in the draw, from 0
     * @param duplicate whether the person had it already (earlier pulls of the same draw count)
     * @param shards    shards it gave as a duplicate
     */
    public record Drawn(int seq, String cardId, Rarity rarity, boolean featured, boolean duplicate, int shards) {
    }

    public Draw {
        cards = List.copyOf(cards);
    }

    /** The rarest card of the draw's, for the reveal. */
    public Rarity best() {
        return cards.stream().map(Drawn::rarity).max(Rarity::compareTo).orElse(Rarity.R);
    }

    Draw asRepeat() {
        return new Draw(id, personId, bannerId, bannerType, pulls, cost, gemsKey, serverHash, clientSeed, nonce,
                pityBefore, shards, createdAt, cards, true);
    }
}
