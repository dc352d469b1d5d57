package dev.tandem.gacha;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A collectible card of a character's card set.
 *
 * @param artId      the card's picture ({@code /images/{id}}), or null for none yet
 * @param unlockKind what {@code unlockText} is
 * @param unlockText the story snippet or greeting shown only to people who own the card
 * @param createdBy  the person (the character's creator) or admin key that made it
 */
public record Card(String id, String characterId, String name, Rarity rarity, @Nullable String artId,
        Unlock unlockKind, String unlockText, String createdBy, long createdAt, long updatedAt) {

    /** What owning a card unlocks. */
    public enum Unlock {
        /** A short scene or piece of the character's story. */
        STORY,
        /** A greeting the character says to its owner. */
        GREETING;

        /** {@code story} or {@code greeting}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws GachaException INVALID naming {@code field} for anything but {@code story} or {@code greeting} */
        public static Unlock parse(String field, String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "story" -> STORY;
                case "greeting" -> GREETING;
                default -> throw GachaException.invalid(field, "What a card unlocks is 'story' or 'greeting', was '"
                        + value + "'.");
            };
        }
    }

    /**
     * A rarity from its name ({@code R}, {@code SR}, {@code SSR}, {@code UR}, any case).
     *
     * @throws GachaException INVALID naming {@code field}
     */
    public static Rarity rarity(String field, String value) {
        try {
            return Rarity.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw GachaException.invalid(field, "A rarity is R, SR, SSR or UR, was '" + value + "'.");
        }
    }
}
