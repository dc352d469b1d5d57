package dev.tandem.companion;

import org.jspecify.annotations.Nullable;

/**
 * What a person's membership adds to their chats, for the companion app to read without knowing who sells
 * memberships (the store module implements it). Where no implementation is present everyone gets
 * {@link Perks#NONE}. Implementations are thread-safe, cheap enough to call once per reply, and never throw for an
 * unknown person (they answer {@link Perks#NONE}).
 */
public interface MembershipPerks {

    /** The perks {@code personId} has now. */
    Perks of(String personId);

    /**
     * Perks are floors: the app uses the larger of its own value and the perk, so a perk can only add. Zero (or
     * null) means "the app's own".
     *
     * @param plan             the membership's name, for pages; null when the person is not a member
     * @param recalledMemories long-term memories recalled into each reply's prompt
     * @param recentTurns      chat turns kept verbatim in the prompt
     * @param alternatives     alternatives one reply may have (regenerations)
     * @param model            the catalog model the member's replies go to (reserved capacity: they do not queue
     *                         behind everyone else's); null: the app's model
     * @param priority         whether the member's replies go ahead of others' in the model's queue
     */
    record Perks(@Nullable String plan, int recalledMemories, int recentTurns, int alternatives,
            @Nullable String model, boolean priority) {

        /** No membership. */
        public static final Perks NONE = new Perks(null, 0, 0, 0, null, false);

        public Perks {
            if (recalledMemories < 0 || recentTurns < 0 || alternatives < 0) {
                throw new IllegalArgumentException("perks must not be negative, were " + recalledMemories + " / "
                        + recentTurns + " / " + alternatives);
            }
            if (model != null && model.isBlank()) {
                model = null;
            }
        }

        public boolean member() {
            return plan != null;
        }
    }
}
