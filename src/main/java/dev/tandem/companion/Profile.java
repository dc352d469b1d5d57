package dev.tandem.companion;

import java.time.LocalDate;
import java.time.Period;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A person as the companion app knows them.
 *
 * @param personId  their id in identity
 * @param handle    unique, lower case, shown as {@code @handle} on creator pages
 * @param name      display name
 * @param email     sign-in address
 * @param birthDate declared at sign-up
 * @param bio       about them, shown on their creator page
 * @param avatarId  their picture, or null
 * @param createdAt epoch ms
 */
public record Profile(String personId, String handle, String name, String email, LocalDate birthDate, String bio,
        @Nullable String avatarId, long createdAt) {

    public Profile {
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(birthDate, "birthDate");
    }

    /** Full years on {@code today}. */
    public int age(LocalDate today) {
        return Period.between(birthDate, today).getYears();
    }
}
