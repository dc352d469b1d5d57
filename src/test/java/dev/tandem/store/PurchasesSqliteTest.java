package dev.tandem.store;

/** {@link PurchasesContract} on a SQLite file. */
class PurchasesSqliteTest extends PurchasesContract {

    @Override
    String database() {
        return "sqlite";
    }
}
