package dev.tandem.billing;

/**
 * A settled call.
 *
 * @param price what the organization was charged, in micro-units
 * @param cost  what the call cost Tandem, in micro-units
 */
public record Settlement(long price, long cost) {

    public long margin() {
        return price - cost;
    }
}
