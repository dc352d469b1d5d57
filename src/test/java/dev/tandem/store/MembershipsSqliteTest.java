package dev.tandem.store;

/** {@link MembershipsContract} on a SQLite file. */
class MembershipsSqliteTest extends MembershipsContract {

    @Override
    String database() {
        return "sqlite";
    }
}
