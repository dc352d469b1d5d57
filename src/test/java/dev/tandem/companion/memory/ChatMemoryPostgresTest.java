package dev.tandem.companion.memory;

/** {@link ChatMemoryContract} on a fresh PostgreSQL database; skipped, with the reason, where none answers. */
class ChatMemoryPostgresTest extends ChatMemoryContract {

    @Override
    MemoryDatabase open() {
        return MemoryDatabase.postgres();
    }
}
