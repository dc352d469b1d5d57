package dev.tandem.store;

/** {@link SpendingLimitsContract} on a SQLite file. */
class SpendingLimitsSqliteTest extends SpendingLimitsContract {

    @Override
    String database() {
        return "sqlite";
    }
}
