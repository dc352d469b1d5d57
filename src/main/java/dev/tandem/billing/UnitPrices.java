package dev.tandem.billing;

/**
 * What one model costs per unit of each kind it can be billed in, in micro-units: a price list (what customers
 * pay) or an engine cost (what Tandem pays). A model uses the units that fit it (tokens for text, characters for
 * speech, images, video seconds, songs); the others stay 0.
 *
 * @param input            per million prompt tokens not served from a cache
 * @param cachedInput      per million prompt tokens served from a prompt cache
 * @param output           per million generated tokens (reasoning included)
 * @param per10kCharacters per 10,000 characters (speech)
 * @param perImage         per image
 * @param perVideoSecond   per second of video
 * @param perSong          per song
 */
public record UnitPrices(long input, long cachedInput, long output, long per10kCharacters, long perImage,
        long perVideoSecond, long perSong) {

    public static final UnitPrices FREE = new UnitPrices(0, 0, 0, 0, 0, 0, 0);

    /** The most any unit may cost: 10,000 currency units. More is a typo, not a price. */
    public static final long MAX = 10_000L * Money.MICROS_PER_UNIT;

    public UnitPrices {
        long[] all = {input, cachedInput, output, per10kCharacters, perImage, perVideoSecond, perSong};
        for (long v : all) {
            if (v < 0 || v > MAX) {
                throw new IllegalArgumentException("unit prices must be 0 to " + Money.format(MAX) + ", was "
                        + Money.format(v));
            }
        }
    }

    /** The token part, as admission and settlement use it. */
    public Rates tokens() {
        return new Rates(input, cachedInput, output);
    }
}
