package dev.tandem.companion;

/**
 * A person sent a message to a character (published after it is stored). Other modules reward activity with it.
 *
 * @param messageId  the stored message: a key for rewarding each turn at most once
 * @param meaningful true when the turn counts for the bond (long enough, not a repeat): reward only those
 * @param at         epoch ms
 */
public record ChatTurnTaken(String personId, String characterId, String messageId, boolean meaningful, long at) {
}
