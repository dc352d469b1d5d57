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
 * @param stream          whether the answer is streamed (streams count against the key's stream cap)
 * @param limits          the key's own limits
 * @param machineCostPerHour micro-units per hour the machine of the model's local engine costs (0: none); its
 *                        calls are then measured for throughput and carry a share of that cost
 */
public record CallRequest(String requestId, String organizationId, String apiKeyId, String model, long maxInputTokens,
        long maxOutputTokens, boolean stream, KeyLimits limits, long machineCostPerHour) {
    public CallRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(limits, "limits");
        if (maxInputTokens < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("token bounds must not be negative");
        }
        if (machineCostPerHour < 0) {
            throw new IllegalArgumentException("machine cost per hour must not be negative, was " + machineCostPerHour);
        }
    }
}
