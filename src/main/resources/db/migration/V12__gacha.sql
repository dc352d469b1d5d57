-- Gacha: character cards, banners, provably fair draws, pity, collections, shards, and the gem rewards the app
-- gives (check-ins, chat activity). Gems themselves live on the ledger (billing, currency GEM). Portable SQL
-- (SQLite and PostgreSQL); times are epoch milliseconds; booleans are INTEGER 0/1.

-- A character's card set: cards defined by the character's creator or a platform admin. The rarity is fixed once
-- the card is in a banner (the published odds name it). unlock_text is the story snippet or greeting shown once
-- the card is owned; art_id is an image of companion_images, stored by Images (checked, re-encoded, resized).
CREATE TABLE gacha_cards (
    id           VARCHAR(40)   PRIMARY KEY,
    character_id VARCHAR(40)   NOT NULL REFERENCES characters (id),
    name         VARCHAR(100)  NOT NULL,
    rarity       VARCHAR(4)    NOT NULL,
    art_id       VARCHAR(40),
    unlock_kind  VARCHAR(10)   NOT NULL,
    unlock_text  VARCHAR(4000) NOT NULL,
    created_by   VARCHAR(40)   NOT NULL,
    created_at   BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL
);
CREATE INDEX gacha_cards_by_character ON gacha_cards (character_id);

-- A banner: its rules (the JSON of dev.tandem.gacha.BannerRules, as `gacha verify --rules` reads it), its time
-- window and its prices. Rules, pool and prices never change once it has started: every draw is recomputed from
-- them and the published odds stay true.
CREATE TABLE gacha_banners (
    id             VARCHAR(40)   PRIMARY KEY,
    name           VARCHAR(100)  NOT NULL,
    description    VARCHAR(2000) NOT NULL,
    banner_type    VARCHAR(64)   NOT NULL,
    rules_json     VARCHAR(4000) NOT NULL,
    starts_at      BIGINT        NOT NULL,
    ends_at        BIGINT        NOT NULL,
    pull_cost      BIGINT        NOT NULL,
    ten_pull_cost  BIGINT        NOT NULL,
    created_by     VARCHAR(40)   NOT NULL,
    created_at     BIGINT        NOT NULL
);
CREATE INDEX gacha_banners_by_end ON gacha_banners (ends_at);

-- A banner's pool in its listed order (position), which the card roll indexes per rarity and featured flag.
CREATE TABLE gacha_banner_cards (
    banner_id VARCHAR(40) NOT NULL REFERENCES gacha_banners (id),
    card_id   VARCHAR(40) NOT NULL REFERENCES gacha_cards (id),
    featured  INTEGER     NOT NULL,
    position  INTEGER     NOT NULL,
    PRIMARY KEY (banner_id, card_id)
);
CREATE INDEX gacha_banner_cards_by_card ON gacha_banner_cards (card_id);

-- One row per person who has seen a banner or drawn: the server seed in use (secret until rotated; its SHA-256 is
-- shown), the client seed, and the next nonce. Every draw locks this row first, so one person's draws run one at
-- a time.
CREATE TABLE gacha_players (
    person_id    VARCHAR(40) PRIMARY KEY,
    server_seed  VARCHAR(64) NOT NULL,
    server_hash  VARCHAR(64) NOT NULL,
    client_seed  VARCHAR(64) NOT NULL,
    next_nonce   BIGINT      NOT NULL,
    seed_since   BIGINT      NOT NULL,
    created_at   BIGINT      NOT NULL
);

-- Server seeds taken out of use and revealed: anyone holding one recomputes the draws made under it.
CREATE TABLE gacha_revealed_seeds (
    server_hash  VARCHAR(64) PRIMARY KEY,
    person_id    VARCHAR(40) NOT NULL,
    server_seed  VARCHAR(64) NOT NULL,
    client_seed  VARCHAR(64) NOT NULL,
    nonces_used  BIGINT      NOT NULL,
    created_at   BIGINT      NOT NULL,
    revealed_at  BIGINT      NOT NULL
);
CREATE INDEX gacha_revealed_seeds_by_person ON gacha_revealed_seeds (person_id, revealed_at);

-- Pity per person per banner type: it carries over between banners of the same type.
CREATE TABLE gacha_pity (
    person_id         VARCHAR(40) NOT NULL,
    banner_type       VARCHAR(64) NOT NULL,
    pulls_since_top   INTEGER     NOT NULL,
    pulls_since_sr    INTEGER     NOT NULL,
    top_guaranteed    INTEGER     NOT NULL,
    sr_guaranteed     INTEGER     NOT NULL,
    updated_at        BIGINT      NOT NULL,
    PRIMARY KEY (person_id, banner_type)
);

-- A draw (a single pull or a ten-pull): one per (person, idempotency key); kept for good (at least the 90 days
-- the rules ask; no job deletes it). It records what recomputes it: the server seed's hash, the client seed, the
-- nonce and the pity before; and the idempotency key of the gems spend that paid for it (billing's ledger) in the
-- same database transaction.
CREATE TABLE gacha_draws (
    id                VARCHAR(40)  PRIMARY KEY,
    person_id         VARCHAR(40)  NOT NULL,
    idempotency_key   VARCHAR(100) NOT NULL,
    banner_id         VARCHAR(40)  NOT NULL REFERENCES gacha_banners (id),
    banner_type       VARCHAR(64)  NOT NULL,
    pulls             INTEGER      NOT NULL,
    cost              BIGINT       NOT NULL,
    gems_key          VARCHAR(200) NOT NULL,
    server_hash       VARCHAR(64)  NOT NULL,
    client_seed       VARCHAR(64)  NOT NULL,
    nonce             BIGINT       NOT NULL,
    pity_top_before   INTEGER      NOT NULL,
    pity_sr_before    INTEGER      NOT NULL,
    top_guar_before   INTEGER      NOT NULL,
    sr_guar_before    INTEGER      NOT NULL,
    shards            BIGINT       NOT NULL,
    created_at        BIGINT       NOT NULL,
    UNIQUE (person_id, idempotency_key)
);
CREATE INDEX gacha_draws_by_person ON gacha_draws (person_id, created_at);
CREATE INDEX gacha_draws_by_hash ON gacha_draws (server_hash, nonce);

-- The cards of a draw, in pull order. duplicate: the person owned the card already (counting earlier pulls of the
-- same draw); it gave `shards` shards instead.
CREATE TABLE gacha_draw_cards (
    draw_id   VARCHAR(40) NOT NULL REFERENCES gacha_draws (id),
    seq       INTEGER     NOT NULL,
    card_id   VARCHAR(40) NOT NULL REFERENCES gacha_cards (id),
    rarity    VARCHAR(4)  NOT NULL,
    featured  INTEGER     NOT NULL,
    duplicate INTEGER     NOT NULL,
    shards    INTEGER     NOT NULL,
    PRIMARY KEY (draw_id, seq)
);

-- The cards a person owns; copies counts every time they got it (draws and the shard shop).
CREATE TABLE gacha_collection (
    person_id  VARCHAR(40) NOT NULL,
    card_id    VARCHAR(40) NOT NULL REFERENCES gacha_cards (id),
    copies     INTEGER     NOT NULL,
    first_at   BIGINT      NOT NULL,
    last_at    BIGINT      NOT NULL,
    PRIMARY KEY (person_id, card_id)
);

-- Shards: a balance per person that is the sum of its moves, each move once per idempotency key (duplicates
-- convert to shards; the shop spends them). The balance never goes below zero.
CREATE TABLE gacha_shards (
    person_id  VARCHAR(40) PRIMARY KEY,
    balance    BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);

CREATE TABLE gacha_shard_moves (
    id              VARCHAR(40)  PRIMARY KEY,
    person_id       VARCHAR(40)  NOT NULL,
    idempotency_key VARCHAR(200) NOT NULL UNIQUE,
    amount          BIGINT       NOT NULL,
    kind            VARCHAR(20)  NOT NULL,
    reference       VARCHAR(40)  NOT NULL,
    created_at      BIGINT       NOT NULL
);
CREATE INDEX gacha_shard_moves_by_person ON gacha_shard_moves (person_id, created_at);

-- Daily check-ins: one per person per UTC day (YYYY-MM-DD), with the streak day it was and the gems it gave.
CREATE TABLE gacha_checkins (
    person_id  VARCHAR(40) NOT NULL,
    day        VARCHAR(10) NOT NULL,
    streak     INTEGER     NOT NULL,
    gems       BIGINT      NOT NULL,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (person_id, day)
);

-- Chat-activity gems given per person per UTC day, against the daily cap.
CREATE TABLE gacha_activity (
    person_id  VARCHAR(40) NOT NULL,
    day        VARCHAR(10) NOT NULL,
    gems       BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL,
    PRIMARY KEY (person_id, day)
);
