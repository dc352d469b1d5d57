package dev.tandem.identity.internal;

import dev.tandem.identity.Ids;
import dev.tandem.identity.IdentityException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashing with Argon2id: a random 16-byte salt per hash, 19 MiB of memory, 2 passes, 1 lane (OWASP's
 * recommended minimum), stored in PHC form so that hashes made with other parameters still verify. Also the
 * rules for passwords and addresses.
 */
@Component
class Passwords {

    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 256;

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    /** Verified against when there is no person, so that an unknown address takes as long as a wrong password. */
    private final String decoy = encoder.encode(Ids.random(32));

    String hash(String password) {
        check(password);
        return encoder.encode(password);
    }

    /** True when {@code password} matches {@code hash}; with no hash, spends the same time and says false. */
    boolean matches(String password, @Nullable String hash) {
        if (password.length() > MAX_LENGTH) {
            encoder.matches("", decoy);
            return false;
        }
        if (hash == null) {
            encoder.matches(password, decoy);
            return false;
        }
        return encoder.matches(password, hash);
    }

    static void check(String password) {
        if (password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            throw IdentityException.invalid("password", "must have " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters, had " + password.length());
        }
        if (password.isBlank()) {
            throw IdentityException.invalid("password", "must not be only spaces");
        }
    }

    /**
     * An address as given, trimmed, after a plain shape check (one {@code @}, no spaces, a dot in the domain).
     *
     * @throws IdentityException INVALID naming the field
     */
    static String email(String field, String email) {
        String e = email.strip();
        int at = e.indexOf('@');
        if (e.length() > 320 || at < 1 || at != e.lastIndexOf('@') || at == e.length() - 1
                || e.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>' || c == '"')
                || !e.substring(at + 1).contains(".")) {
            throw IdentityException.invalid(field, "'" + email + "' is not an email address");
        }
        return e;
    }

    /** The form addresses are compared in: lower case. */
    static String emailKey(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
