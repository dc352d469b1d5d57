package dev.tandem.identity;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a person may do in an organization they belong to. Each role is a fixed set of {@link Permission}s:
 *
 * <pre>
 *                              owner admin developer billing viewer
 * read organization, credits     x     x      x         x       x
 * read members                   x     x      x         x       x
 * read API keys                  x     x      x                 x
 * create keys (own, developer)   x     x      x
 * manage every key               x     x
 * change organization settings   x     x
 * invite, change, remove members x     x
 * </pre>
 *
 * Only an owner grants the owner role or changes or removes an owner; an organization keeps at least one owner.
 */
public enum MemberRole {
    OWNER(EnumSet.allOf(Permission.class)),
    ADMIN(EnumSet.allOf(Permission.class)),
    DEVELOPER(EnumSet.of(Permission.READ_ORGANIZATION, Permission.READ_CREDITS, Permission.READ_MEMBERS,
            Permission.READ_KEYS, Permission.CREATE_KEYS)),
    BILLING(EnumSet.of(Permission.READ_ORGANIZATION, Permission.READ_CREDITS, Permission.ADD_CREDITS,
            Permission.READ_MEMBERS)),
    VIEWER(EnumSet.of(Permission.READ_ORGANIZATION, Permission.READ_CREDITS, Permission.READ_MEMBERS,
            Permission.READ_KEYS));

    private final Set<Permission> permissions;

    MemberRole(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public boolean permits(Permission permission) {
        return permissions.contains(permission);
    }

    /** The roles that have {@code permission}, for messages: {@code "owner, admin"}. */
    public static String rolesWith(Permission permission) {
        return Arrays.stream(values()).filter(r -> r.permits(permission)).map(MemberRole::wire)
                .collect(Collectors.joining(", "));
    }

    /** May make or keep a key of {@code keyRole}: admin keys need {@link Permission#MANAGE_KEYS}. */
    public boolean mayGive(KeyRole keyRole) {
        return keyRole != KeyRole.ADMIN || permits(Permission.MANAGE_KEYS);
    }

    /**
     * May change, rotate or revoke {@code key}, acting as {@code actor} (a person or key id): every key with
     * {@link Permission#MANAGE_KEYS}, the keys one made oneself with {@link Permission#CREATE_KEYS}.
     */
    public boolean mayChange(ApiKeyInfo key, String actor) {
        return permits(Permission.MANAGE_KEYS) || permits(Permission.CREATE_KEYS) && actor.equals(key.createdBy());
    }

    /** The role's name on the wire: {@code owner}, {@code admin}, … */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a wire name.
     *
     * @throws IllegalArgumentException naming the allowed roles
     */
    public static MemberRole parse(String value) {
        for (MemberRole r : values()) {
            if (r.wire().equals(value.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be owner, admin, developer, billing or viewer, was '" + value
                + "'");
    }
}
