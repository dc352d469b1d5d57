package dev.tandem.store;

/** {@link PurchasesContract} on a fresh PostgreSQL database; skipped, with the reason, where none answers. */
class PurchasesPostgresTest extends PurchasesContract {

    @Override
    String database() {
        return "postgresql";
    }
}
