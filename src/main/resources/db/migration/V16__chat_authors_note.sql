-- A chat's author's note (SillyTavern's): the person's standing instruction for the story, put into the prompt as a
-- system message this many messages before the end of the chat (0: after the last message).
ALTER TABLE chats ADD COLUMN authors_note VARCHAR(2000) NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN authors_note_depth INTEGER NOT NULL DEFAULT 4;
