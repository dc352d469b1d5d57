package dev.tandem.companion;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the companion app ({@code tandem.companion.*}).
 *
 * @param model            the catalog model characters answer with ({@code TANDEM_COMPANION_MODEL}; empty: the
 *                         first model of the catalog)
 * @param organization     the name of the organization the app is billed as
 * @param platformUrl      a remote Tandem to call instead of this one (empty: in-process)
 * @param platformKey      the API key for {@code platformUrl}
 * @param contextTokens    the prompt budget when the model does not say its context size
 * @param replyTokens      the most tokens of one reply
 * @param minimumAge       the youngest age that may sign up
 * @param adultAge         from this age, teen mode is off
 * @param recentTurns      the turns kept verbatim before older ones are summarized into memory
 * @param replyTimeout     the longest a reply may take
 * @param avatarMaxBytes   the largest image upload
 */
@ConfigurationProperties("tandem.companion")
public record CompanionProperties(
        @DefaultValue("") String model,
        @DefaultValue("Tandem Companion") String organization,
        @DefaultValue("") String platformUrl,
        @DefaultValue("") String platformKey,
        @DefaultValue("2048") int contextTokens,
        @DefaultValue("200") int replyTokens,
        @DefaultValue("13") int minimumAge,
        @DefaultValue("18") int adultAge,
        @DefaultValue("40") int recentTurns,
        @DefaultValue("2m") Duration replyTimeout,
        @DefaultValue("8388608") long avatarMaxBytes) {

    public CompanionProperties {
        if (contextTokens < 256 || replyTokens < 1 || replyTokens >= contextTokens) {
            throw new IllegalArgumentException("tandem.companion.context-tokens must be at least 256 and larger "
                    + "than reply-tokens, was " + contextTokens + " / " + replyTokens);
        }
        if (minimumAge < 0 || adultAge < minimumAge) {
            throw new IllegalArgumentException("tandem.companion.adult-age must be at least minimum-age, was "
                    + adultAge + " / " + minimumAge);
        }
        if (recentTurns < 2) {
            throw new IllegalArgumentException("tandem.companion.recent-turns must be at least 2, was " + recentTurns);
        }
    }
}
