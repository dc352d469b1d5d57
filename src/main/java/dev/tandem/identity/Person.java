package dev.tandem.identity;

import java.util.Objects;

/**
 * Someone who signs in to the console.
 *
 * @param id        its id ({@code psn_…})
 * @param email     the address as given; unique regardless of case
 * @param name      display name
 * @param disabled  true when the person may no longer sign in
 * @param createdAt epoch ms
 */
public record Person(String id, String email, String name, boolean disabled, long createdAt) {
    public Person {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
    }
}
