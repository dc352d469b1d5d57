package dev.tandem.gacha;

/**
 * What a card's creator writes: checked on construction.
 *
 * @param name       1 to 100 characters
 * @param unlockText the story snippet or greeting, 1 to 4,000 characters
 * @throws GachaException INVALID naming the field at fault
 */
public record CardDraft(String name, Rarity rarity, Card.Unlock unlockKind, String unlockText) {

    public CardDraft {
        name = name.strip();
        unlockText = unlockText.strip();
        if (name.isEmpty() || name.length() > 100) {
            throw GachaException.invalid("name", "A card's name has 1 to 100 characters.");
        }
        if (unlockText.isEmpty() || unlockText.length() > 4000) {
            throw GachaException.invalid("unlock_text", "A card's story snippet or greeting has 1 to 4,000 "
                    + "characters.");
        }
    }

    /** A draft from form or JSON fields: {@code rarity} R, SR, SSR or UR; {@code unlockKind} story or greeting. */
    public static CardDraft of(String name, String rarity, String unlockKind, String unlockText) {
        return new CardDraft(name, Card.rarity("rarity", rarity), Card.Unlock.parse("unlock_kind", unlockKind),
                unlockText);
    }
}
