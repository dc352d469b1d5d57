-- Group chats: a chat with several characters. A chat with rows here is a group chat, its characters in order
-- (the chat's own character_id is the first); a chat without is one person with one character, as before. A
-- character's message names who wrote it (speaker_id; NULL: the chat's character).
CREATE TABLE chat_members (
    chat_id      VARCHAR(40) NOT NULL REFERENCES chats (id),
    character_id VARCHAR(40) NOT NULL REFERENCES characters (id),
    position     INTEGER     NOT NULL,
    PRIMARY KEY (chat_id, character_id)
);
ALTER TABLE chat_messages ADD COLUMN speaker_id VARCHAR(40);
