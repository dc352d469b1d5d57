package dev.tandem.billing;

/**
 * Where a call stands against its tightest request and token limits, for the {@code x-ratelimit-*} headers.
 * A limit of {@code -1} means no such limit applies (its headers are left out).
 *
 * @param limitRequests       requests allowed in the window of the tightest request limit
 * @param remainingRequests   requests left in it after this one
 * @param resetRequestsMillis until that window starts over
 * @param limitTokens         tokens allowed in the window of the tightest token limit
 * @param remainingTokens     tokens left in it after this call's reservation
 * @param resetTokensMillis   until that window starts over
 */
public record RateLimitStatus(long limitRequests, long remainingRequests, long resetRequestsMillis, long limitTokens,
        long remainingTokens, long resetTokensMillis) {

    public boolean hasRequests() {
        return limitRequests >= 0;
    }

    public boolean hasTokens() {
        return limitTokens >= 0;
    }
}
