package dev.tandem.billing.internal;

/** The in-process counters a single node uses. */
class LocalLimitCountersTest extends LimitCountersContract {
    @Override
    LimitCounters create() {
        return new LocalLimitCounters();
    }
}
