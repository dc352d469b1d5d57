package dev.tandem.billing;

import java.util.Objects;

/**
 * A model call asking to be admitted.
 *
 * @param requestId       the request's id; settlement is idempotent on it
 * @param organizationId  who pays
 * @param apiKeyId        the key used
 * @param model           the public model id (it picks the price)
 * @param maxInputTokens  an upper bound of the prompt's tokens
 * @param maxOutputTokens the most tokens the answer may have
 */
public record CallRequest(String requestId, String organizationId, String apiKeyId, String model, long maxInputTokens,
        long maxOutputTokens) {
    public CallRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(model, "model");
        if (maxInputTokens < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("token bounds must not be negative");
        }
    }
}
