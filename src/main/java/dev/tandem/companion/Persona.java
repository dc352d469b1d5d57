package dev.tandem.companion;

/**
 * How a person presents to characters ({@code {{user}}} in prompts is its name).
 *
 * @param id          {@code prs_…}
 * @param name        the name characters call them by
 * @param description what characters know about them
 * @param isDefault   the persona new chats use
 */
public record Persona(String id, String name, String description, boolean isDefault) {
}
