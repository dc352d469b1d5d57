package dev.tandem.companion;

import dev.tandem.identity.Ids;
import dev.tandem.identity.IdentityException;
import dev.tandem.identity.People;
import dev.tandem.identity.Person;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * People in the companion app: sign-up with a declared birth date (it decides teen mode, and the spending rules of
 * minors elsewhere), profile, and personas — exactly one of them the default. Sign-in itself is identity's
 * (sessions in the database). Thread-safe.
 *
 * @throws CompanionException from every method that changes something, naming the field at fault
 */
@Service
public class Accounts {

    private static final Pattern HANDLE = Pattern.compile("[a-z0-9_]{3,30}");

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final People people;
    private final Clock clock;
    private final CompanionProperties properties;

    Accounts(JdbcClient jdbc, TransactionTemplate tx, People people, Clock clock, CompanionProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.people = people;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * Makes an account: the person (identity), their profile and a default persona named after them.
     *
     * @param birthDate {@code YYYY-MM-DD}; the person must be at least {@code tandem.companion.minimum-age}
     */
    public Profile signUp(String email, String name, String password, String birthDate, String handle) {
        LocalDate born = birthDate(birthDate);
        String h = handle(handle);
        if (jdbc.sql("SELECT COUNT(*) FROM companion_profiles WHERE handle = :h").param("h", h).query(Long.class)
                .single() > 0) {
            throw new CompanionException(CompanionException.Reason.CONFLICT, "@" + h + " is taken; choose another.",
                    "handle");
        }
        Person person;
        try {
            person = people.register(email, name, password);
        } catch (IdentityException e) {
            throw new CompanionException(e.reason() == IdentityException.Reason.CONFLICT
                    ? CompanionException.Reason.CONFLICT : CompanionException.Reason.INVALID, e.getMessage(),
                    e.field());
        }
        long now = clock.millis();
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO companion_profiles (person_id, handle, birth_date, bio, created_at, updated_at) "
                            + "VALUES (:p, :h, :b, '', :now, :now)")
                    .param("p", person.id()).param("h", h).param("b", born.toString()).param("now", now).update();
            jdbc.sql("INSERT INTO personas (id, person_id, name, description, is_default, created_at) "
                            + "VALUES (:id, :p, :name, '', 1, :now)")
                    .param("id", Ids.next("prs")).param("p", person.id()).param("name", person.name())
                    .param("now", now).update();
        });
        return profile(person.id()).orElseThrow();
    }

    public Optional<Profile> profile(String personId) {
        return jdbc.sql("SELECT c.person_id, c.handle, p.display_name, p.email, c.birth_date, c.bio, c.avatar_id, "
                        + "c.created_at FROM companion_profiles c JOIN people p ON p.id = c.person_id "
                        + "WHERE c.person_id = :p AND p.disabled = 0")
                .param("p", personId)
                .query((rs, i) -> new Profile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        LocalDate.parse(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8)))
                .optional();
    }

    public Optional<Profile> byHandle(String handle) {
        return jdbc.sql("SELECT person_id FROM companion_profiles WHERE handle = :h")
                .param("h", handle.toLowerCase(java.util.Locale.ROOT)).query(String.class).optional()
                .flatMap(this::profile);
    }

    /** The viewer for {@code personId}: teen mode under the adult age. Unknown people view as anonymous. */
    public Viewer viewer(@Nullable String personId) {
        if (personId == null) {
            return Viewer.ANONYMOUS;
        }
        return profile(personId).map(p -> new Viewer(personId, p.age(today()) < properties.adultAge()))
                .orElse(Viewer.ANONYMOUS);
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Changes the bio (up to 1,000 characters) and the picture (null keeps it). */
    public Profile updateProfile(String personId, String bio, @Nullable String avatarId) {
        if (bio.length() > 1000) {
            throw CompanionException.invalid("bio", "The bio may have at most 1,000 characters.");
        }
        jdbc.sql("UPDATE companion_profiles SET bio = :b, avatar_id = COALESCE(:a, avatar_id), updated_at = :now "
                        + "WHERE person_id = :p")
                .param("b", bio.strip()).param("a", avatarId).param("now", clock.millis()).param("p", personId)
                .update();
        return profile(personId).orElseThrow(() -> CompanionException.notFound("The profile"));
    }

    // ---- personas

    /** The person's personas, the default first. */
    public List<Persona> personas(String personId) {
        return jdbc.sql("SELECT id, name, description, is_default FROM personas WHERE person_id = :p "
                        + "ORDER BY is_default DESC, created_at, id")
                .param("p", personId)
                .query((rs, i) -> new Persona(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1))
                .list();
    }

    public Optional<Persona> persona(String personId, String personaId) {
        return personas(personId).stream().filter(p -> p.id().equals(personaId)).findFirst();
    }

    public Persona defaultPersona(String personId) {
        return personas(personId).stream().filter(Persona::isDefault).findFirst()
                .orElseThrow(() -> CompanionException.notFound("A default persona"));
    }

    /** Adds a persona; it becomes the default when {@code makeDefault}. At most 20 per person. */
    public Persona addPersona(String personId, String name, String description, boolean makeDefault) {
        String n = personaName(name);
        String d = personaDescription(description);
        String id = Ids.next("prs");
        tx.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO personas (id, person_id, name, description, is_default, created_at) "
                            + "VALUES (:id, :p, :n, :d, 0, :now)")
                    .param("id", id).param("p", personId).param("n", n).param("d", d).param("now", clock.millis())
                    .update(); // written before anything is read: see lockPersonas
            if (personas(personId).size() > 20) {
                throw CompanionException.invalid("name", "You can have at most 20 personas.");
            }
            if (makeDefault) {
                makeDefault(personId, id);
            }
        });
        return persona(personId, id).orElseThrow();
    }

    public Persona updatePersona(String personId, String personaId, String name, String description,
            boolean makeDefault) {
        String n = personaName(name);
        String d = personaDescription(description);
        tx.executeWithoutResult(s -> {
            int changed = jdbc.sql("UPDATE personas SET name = :n, description = :d WHERE id = :id AND person_id = :p")
                    .param("n", n).param("d", d).param("id", personaId).param("p", personId).update();
            if (changed == 0) {
                throw CompanionException.notFound("The persona");
            }
            if (makeDefault) {
                makeDefault(personId, personaId);
            }
        });
        return persona(personId, personaId).orElseThrow();
    }

    /** Deletes a persona; the last one cannot go, and when the default goes the oldest other one takes its place. */
    public void deletePersona(String personId, String personaId) {
        tx.executeWithoutResult(s -> {
            lockPersonas(personId);
            List<Persona> all = personas(personId);
            Persona gone = all.stream().filter(p -> p.id().equals(personaId)).findFirst()
                    .orElseThrow(() -> CompanionException.notFound("The persona"));
            if (all.size() == 1) {
                throw new CompanionException(CompanionException.Reason.CONFLICT,
                        "You need at least one persona; add another before deleting this one.", null);
            }
            jdbc.sql("UPDATE chats SET persona_id = NULL WHERE persona_id = :id").param("id", personaId).update();
            jdbc.sql("DELETE FROM personas WHERE id = :id").param("id", personaId).update();
            if (gone.isDefault()) {
                all.stream().filter(p -> !p.id().equals(personaId)).findFirst()
                        .ifPresent(next -> makeDefault(personId, next.id()));
            }
        });
    }

    /**
     * Takes the write lock before reading in a transaction that will write: on SQLite a transaction that read first
     * fails, rather than waits, when it then needs to write after another one did.
     */
    private void lockPersonas(String personId) {
        jdbc.sql("UPDATE personas SET is_default = is_default WHERE person_id = :p").param("p", personId).update();
    }

    private void makeDefault(String personId, String personaId) {
        jdbc.sql("UPDATE personas SET is_default = CASE WHEN id = :id THEN 1 ELSE 0 END WHERE person_id = :p")
                .param("id", personaId).param("p", personId).update();
    }

    // ---- rules

    LocalDate birthDate(String value) {
        LocalDate born;
        try {
            born = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw CompanionException.invalid("birth_date", "Enter your birth date as YYYY-MM-DD.");
        }
        LocalDate today = today();
        if (born.isAfter(today) || born.isBefore(today.minusYears(130))) {
            throw CompanionException.invalid("birth_date", "Enter your real birth date.");
        }
        int age = java.time.Period.between(born, today).getYears();
        if (age < properties.minimumAge()) {
            throw new CompanionException(CompanionException.Reason.FORBIDDEN,
                    "You must be at least " + properties.minimumAge() + " to use Tandem.", "birth_date");
        }
        return born;
    }

    static String handle(String value) {
        String h = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("@")) {
            h = h.substring(1);
        }
        if (!HANDLE.matcher(h).matches()) {
            throw CompanionException.invalid("handle", "A handle has 3 to 30 letters a–z, digits or underscores.");
        }
        return h;
    }

    private static String personaName(String name) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > 100) {
            throw CompanionException.invalid("name", "A persona's name has 1 to 100 characters.");
        }
        return n;
    }

    private static String personaDescription(String description) {
        if (description.length() > 2000) {
            throw CompanionException.invalid("description", "A persona's description has at most 2,000 characters.");
        }
        return description.strip();
    }
}
