package dev.tandem.identity;

import java.util.Objects;

/**
 * An invitation just made, with its token: shown this once, stored only as a hash.
 *
 * @param invitation the invitation
 * @param token      what the invited person presents to accept it
 */
public record CreatedInvitation(Invitation invitation, String token) {
    public CreatedInvitation {
        Objects.requireNonNull(invitation, "invitation");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "CreatedInvitation[" + invitation.id() + ", token hidden]";
    }
}
