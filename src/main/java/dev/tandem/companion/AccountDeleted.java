package dev.tandem.companion;

/** A person deleted their account; modules that keep data about them forget it. */
public record AccountDeleted(String personId, long at) {
}
