package dev.tandem.identity;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the identity module ({@code tandem.identity.*}).
 *
 * @param adminKey                 the owner organization's admin API key instead of a generated one
 *                                 ({@code TANDEM_ADMIN_KEY})
 * @param keyCacheTtl              how long a verified key is trusted without asking the database
 * @param ownerEmail               the owner organization's first owner, made on start while it has none
 *                                 ({@code TANDEM_OWNER_EMAIL})
 * @param ownerPassword            that person's password; when empty one is generated and printed once
 *                                 ({@code TANDEM_OWNER_PASSWORD})
 * @param sessionIdle              a console session ends after this long unused ({@code TANDEM_SESSION_IDLE})
 * @param sessionMax               and at the latest this long after sign-in ({@code TANDEM_SESSION_MAX})
 * @param signInFailuresPerEmail   failed sign-ins per address within {@code signInWindow} before sign-ins for it
 *                                 are refused ({@code TANDEM_SIGNIN_MAX_FAILURES})
 * @param signInFailuresPerAddress the same per client IP address ({@code TANDEM_SIGNIN_MAX_FAILURES_PER_IP})
 * @param signInWindow             how long a failed sign-in counts
 */
@ConfigurationProperties("tandem.identity")
public record IdentityProperties(@Nullable String adminKey, @DefaultValue("5s") Duration keyCacheTtl,
        @Nullable String ownerEmail, @Nullable String ownerPassword, @DefaultValue("8h") Duration sessionIdle,
        @DefaultValue("7d") Duration sessionMax, @DefaultValue("10") int signInFailuresPerEmail,
        @DefaultValue("50") int signInFailuresPerAddress, @DefaultValue("15m") Duration signInWindow) {

    public IdentityProperties {
        if (sessionIdle.isNegative() || sessionIdle.isZero() || sessionMax.isNegative() || sessionMax.isZero()) {
            throw new IllegalArgumentException("TANDEM_SESSION_IDLE and TANDEM_SESSION_MAX must be positive, were "
                    + sessionIdle + " and " + sessionMax);
        }
        if (signInFailuresPerEmail < 1 || signInFailuresPerAddress < 1) {
            throw new IllegalArgumentException("sign-in failure limits must be at least 1, were "
                    + signInFailuresPerEmail + " and " + signInFailuresPerAddress);
        }
    }
}
