package dev.tandem.identity;

/** Something a member may do in an organization; {@link MemberRole} says which roles have which. */
public enum Permission {
    /** See the organization, including its billing settings. */
    READ_ORGANIZATION,
    /** Change the organization's own settings (the low-balance alert). */
    MANAGE_ORGANIZATION,
    /** See credits, usage, costs and statements. */
    READ_CREDITS,
    /** Add credits the organization paid for (redemption codes). */
    ADD_CREDITS,
    /** List API keys (never their secrets). */
    READ_KEYS,
    /** Make developer keys, and change, rotate and revoke the keys one made oneself. */
    CREATE_KEYS,
    /** Make keys of any role, and change, rotate and revoke any key. */
    MANAGE_KEYS,
    /** See who belongs to the organization. */
    READ_MEMBERS,
    /** Invite people, change their roles, remove them. */
    MANAGE_MEMBERS
}
