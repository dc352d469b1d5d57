package dev.tandem.companion.memory;

/** {@link ChatMemoryContract} on a SQLite file. */
class ChatMemorySqliteTest extends ChatMemoryContract {

    @Override
    MemoryDatabase open() throws Exception {
        return MemoryDatabase.sqlite();
    }
}
