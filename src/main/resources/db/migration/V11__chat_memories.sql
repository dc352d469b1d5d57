-- Long-term memory of companion chats (dev.tandem.companion.memory): facts extracted from the person's own
-- messages, summaries written by a model, notes written by the person. Never a character's line. Portable SQL
-- (SQLite and PostgreSQL); times are epoch milliseconds. No foreign key to chats: that table comes in another
-- change, and a chat's memories are deleted with it by the application.

-- kind: fact, summary or note. embedding: all-MiniLM-L6-v2, 384 float32 little-endian (1,536 bytes), of the
-- content as the person would say it ({{user}} read as I); BYTEA is bytea on PostgreSQL and a blob on SQLite.
-- pinned: 0 or 1. source_message_id: the message a fact came from, or the last message a summary covers.
CREATE TABLE chat_memories (
    id                VARCHAR(40)   PRIMARY KEY,
    chat_id           VARCHAR(64)   NOT NULL,
    person_id         VARCHAR(64)   NOT NULL,
    kind              VARCHAR(10)   NOT NULL CHECK (kind IN ('fact', 'summary', 'note')),
    content           VARCHAR(1000) NOT NULL,
    embedding         BYTEA         NOT NULL,
    pinned            INTEGER       NOT NULL DEFAULT 0,
    source_message_id VARCHAR(64),
    created_at        BIGINT        NOT NULL,
    updated_at        BIGINT        NOT NULL
);
-- updated_at in the chat index: the cache's "changed since?" check (count, sum of updated_at) reads only the index
CREATE INDEX chat_memories_by_chat ON chat_memories (chat_id, updated_at);
CREATE INDEX chat_memories_by_person ON chat_memories (person_id);
