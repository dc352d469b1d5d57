package dev.tandem.identity;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the identity module ({@code tandem.identity.*}).
 *
 * @param adminKey  the owner organization's admin API key instead of a generated one ({@code TANDEM_ADMIN_KEY})
 * @param keyCacheTtl how long a verified key is trusted without asking the database again
 */
@ConfigurationProperties("tandem.identity")
public record IdentityProperties(@Nullable String adminKey, Duration keyCacheTtl) {
}
