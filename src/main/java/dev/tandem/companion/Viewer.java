package dev.tandem.companion;

import org.jspecify.annotations.Nullable;

/**
 * Who is looking: a signed-in person (with whether teen mode applies to them) or nobody. Teen mode hides mature
 * characters; anonymous visitors see what teens see.
 *
 * @param personId the person, or null when nobody is signed in
 * @param teen     true under the adult age, and for anonymous visitors
 */
public record Viewer(@Nullable String personId, boolean teen) {

    public static final Viewer ANONYMOUS = new Viewer(null, true);

    public boolean is(@Nullable String id) {
        return personId != null && personId.equals(id);
    }
}
