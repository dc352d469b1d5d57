package dev.tandem.companion;

/**
 * A person's bond with a character reached a new level. Published once per level, after the turn that earned it
 * is stored; other modules reward it (gems).
 *
 * @param level the level reached (1 and up)
 * @param at    epoch ms
 */
public record AffinityMilestoneReached(String personId, String characterId, int level, long at) {
}
