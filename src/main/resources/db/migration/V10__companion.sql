-- The companion app: profiles, personas, characters (with versions, tags, likes, follows), images, chats and
-- messages, per-character activity, affinity. Portable SQL (SQLite and PostgreSQL); times are epoch milliseconds.

-- One row per person who uses the app. birth_date is what they declared at sign-up (YYYY-MM-DD): it decides teen
-- mode and the spending rules of minors.
CREATE TABLE companion_profiles (
    person_id    VARCHAR(40)  PRIMARY KEY REFERENCES people (id),
    handle       VARCHAR(40)  NOT NULL UNIQUE,
    birth_date   VARCHAR(10)  NOT NULL,
    bio          VARCHAR(1000) NOT NULL DEFAULT '',
    avatar_id    VARCHAR(40),
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL
);

-- How a person presents to characters; exactly one is the default (enforced by the code, in one transaction).
CREATE TABLE personas (
    id          VARCHAR(40)   PRIMARY KEY,
    person_id   VARCHAR(40)   NOT NULL REFERENCES people (id),
    name        VARCHAR(100)  NOT NULL,
    description VARCHAR(2000) NOT NULL DEFAULT '',
    is_default  INTEGER       NOT NULL DEFAULT 0,
    created_at  BIGINT        NOT NULL
);
CREATE INDEX personas_by_person ON personas (person_id);

-- Uploaded images, re-encoded and resized before they are stored (never served as uploaded).
CREATE TABLE companion_images (
    id           VARCHAR(40) PRIMARY KEY,
    owner_id     VARCHAR(40) NOT NULL,
    content_type VARCHAR(40) NOT NULL,
    width        INTEGER     NOT NULL,
    height       INTEGER     NOT NULL,
    bytes        BYTEA       NOT NULL,
    created_at   BIGINT      NOT NULL
);

-- The card is kept whole as Character Card V3 JSON (card_json): unknown fields and extensions, the lorebook and
-- anything else a card carries survive edits and exports. The columns beside it are what lists and search need.
-- visibility: public | unlisted | private; rating: everyone | teen | mature.
CREATE TABLE characters (
    id           VARCHAR(40)  PRIMARY KEY,
    creator_id   VARCHAR(40)  NOT NULL REFERENCES people (id),
    name         VARCHAR(200) NOT NULL,
    tagline      VARCHAR(500) NOT NULL DEFAULT '',
    search_text  TEXT         NOT NULL,
    visibility   VARCHAR(10)  NOT NULL,
    rating       VARCHAR(10)  NOT NULL,
    avatar_id    VARCHAR(40),
    card_json    TEXT         NOT NULL,
    version      INTEGER      NOT NULL,
    like_count   INTEGER      NOT NULL DEFAULT 0,
    chat_count   INTEGER      NOT NULL DEFAULT 0,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    deleted_at   BIGINT
);
CREATE INDEX characters_by_creator ON characters (creator_id);
CREATE INDEX characters_by_created ON characters (created_at);

-- Every saved version of a character's card, the current one included.
CREATE TABLE character_versions (
    character_id VARCHAR(40) NOT NULL REFERENCES characters (id),
    version      INTEGER     NOT NULL,
    card_json    TEXT        NOT NULL,
    created_at   BIGINT      NOT NULL,
    PRIMARY KEY (character_id, version)
);

-- Tags in lower case, for tag pages and "for you".
CREATE TABLE character_tags (
    character_id VARCHAR(40)  NOT NULL REFERENCES characters (id),
    tag          VARCHAR(60)  NOT NULL,
    PRIMARY KEY (character_id, tag)
);
CREATE INDEX character_tags_by_tag ON character_tags (tag);

CREATE TABLE character_likes (
    person_id    VARCHAR(40) NOT NULL REFERENCES people (id),
    character_id VARCHAR(40) NOT NULL REFERENCES characters (id),
    created_at   BIGINT      NOT NULL,
    PRIMARY KEY (person_id, character_id)
);

CREATE TABLE creator_follows (
    follower_id VARCHAR(40) NOT NULL REFERENCES people (id),
    creator_id  VARCHAR(40) NOT NULL REFERENCES people (id),
    created_at  BIGINT      NOT NULL,
    PRIMARY KEY (follower_id, creator_id)
);
CREATE INDEX creator_follows_by_creator ON creator_follows (creator_id);

-- Messages people sent to a character, per day (UTC): what "trending" counts.
CREATE TABLE character_activity (
    character_id VARCHAR(40) NOT NULL,
    day          BIGINT      NOT NULL,
    messages     INTEGER     NOT NULL,
    PRIMARY KEY (character_id, day)
);

CREATE TABLE chats (
    id              VARCHAR(40)  PRIMARY KEY,
    person_id       VARCHAR(40)  NOT NULL REFERENCES people (id),
    character_id    VARCHAR(40)  NOT NULL REFERENCES characters (id),
    persona_id      VARCHAR(40),
    title           VARCHAR(200) NOT NULL,
    summarized_upto INTEGER      NOT NULL DEFAULT 0,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL
);
CREATE INDEX chats_by_person ON chats (person_id, updated_at);
CREATE INDEX chats_by_character ON chats (character_id);

-- role: user | char. A character's message keeps every alternative (swipes, a JSON array of strings) and which
-- one is shown; rating is 1–4 stars for the shown one, or null.
CREATE TABLE chat_messages (
    id          VARCHAR(40) PRIMARY KEY,
    chat_id     VARCHAR(40) NOT NULL REFERENCES chats (id),
    seq         INTEGER     NOT NULL,
    role        VARCHAR(8)  NOT NULL,
    swipes      TEXT        NOT NULL,
    swipe       INTEGER     NOT NULL DEFAULT 0,
    rating      INTEGER,
    created_at  BIGINT      NOT NULL,
    edited_at   BIGINT,
    UNIQUE (chat_id, seq)
);

-- The bond between a person and a character: points grow with meaningful turns (capped per day), level follows.
CREATE TABLE affinity (
    person_id     VARCHAR(40) NOT NULL REFERENCES people (id),
    character_id  VARCHAR(40) NOT NULL REFERENCES characters (id),
    points        INTEGER     NOT NULL DEFAULT 0,
    level         INTEGER     NOT NULL DEFAULT 0,
    day           BIGINT      NOT NULL DEFAULT 0,
    points_today  INTEGER     NOT NULL DEFAULT 0,
    last_text     VARCHAR(64) NOT NULL DEFAULT '',
    updated_at    BIGINT      NOT NULL,
    PRIMARY KEY (person_id, character_id)
);
