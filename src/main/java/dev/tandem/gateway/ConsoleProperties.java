package dev.tandem.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the console's cookies ({@code tandem.console.*}).
 *
 * @param secureCookies mark the session cookie {@code Secure} on every response, not only on https requests
 *                      ({@code TANDEM_SECURE_COOKIES}); set it behind a proxy that ends TLS
 */
@ConfigurationProperties("tandem.console")
public record ConsoleProperties(@DefaultValue("false") boolean secureCookies) {
}
