package dev.tandem.store;

/** {@link MembershipsContract} on a fresh PostgreSQL database; skipped, with the reason, where none answers. */
class MembershipsPostgresTest extends MembershipsContract {

    @Override
    String database() {
        return "postgresql";
    }
}
