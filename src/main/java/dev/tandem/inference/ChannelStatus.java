package dev.tandem.inference;

/**
 * Where one channel (backend) of a model stands.
 *
 * @param model         the public model id
 * @param channel       the channel's name
 * @param priority      lower numbers are tried first
 * @param weight        its share of calls within its priority
 * @param state         {@code closed} (serving), {@code open} (left out), {@code half_open} (being probed),
 *                      {@code disabled} (taken out by an operator)
 * @param failureRate   percent of failed calls in its window, or -1 while the window has too few calls
 * @param coolingMillis how much longer it rests after a 429 with retry-after (0 when it does not)
 * @param running       calls it runs now (counted only when it has a concurrency limit, else -1)
 * @param queued        calls waiting for it now
 */
public record ChannelStatus(String model, String channel, int priority, int weight, String state,
        float failureRate, long coolingMillis, int running, int queued) {
}
