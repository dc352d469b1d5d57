package dev.tandem.gacha;

/**
 * The rarity of a drawn card, from most common to rarest: {@code R < SR < SSR < UR}. {@link #UR} is the top
 * rarity, the one with the soft and hard pity; "SR or better" is what the every-ten-pulls guarantee promises.
 */
public enum Rarity {
    R, SR, SSR, UR;

    /** The top rarity, {@link #UR}. */
    public static final Rarity TOP = UR;

    /** Whether this rarity is {@code other} or rarer. */
    public boolean atLeast(Rarity other) {
        return compareTo(other) >= 0;
    }
}
