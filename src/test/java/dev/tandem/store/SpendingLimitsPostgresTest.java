package dev.tandem.store;

/** {@link SpendingLimitsContract} on a fresh PostgreSQL database; skipped, with the reason, where none answers. */
class SpendingLimitsPostgresTest extends SpendingLimitsContract {

    @Override
    String database() {
        return "postgresql";
    }
}
