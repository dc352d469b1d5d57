-- The model catalog, managed at runtime. Each row is one channel (backend) of a public model; a model is the rows
-- sharing its id, in position order. settings: the channel's settings as JSON (never its API key); api_key: the
-- upstream key encrypted with the master key (AES-GCM), or NULL. enabled: 0 when an operator took the channel out.
CREATE TABLE model_channels (
    model      VARCHAR(200)  NOT NULL,
    position   INTEGER       NOT NULL,
    settings   VARCHAR(16000) NOT NULL,
    api_key    VARCHAR(2000),
    enabled    INTEGER       NOT NULL DEFAULT 1,
    updated_at BIGINT        NOT NULL,
    PRIMARY KEY (model, position)
);

-- Bumped in the same transaction as every change of model_channels: what nodes poll to notice a change.
CREATE TABLE catalog_revision (
    id       INTEGER PRIMARY KEY,
    revision BIGINT  NOT NULL
);
INSERT INTO catalog_revision (id, revision) VALUES (1, 0);

-- What configuration last said about each model it names (a hash of its settings): a model whose configuration
-- changed is stored again at start; one whose configuration did not keep what was changed at runtime.
CREATE TABLE catalog_seeds (
    model VARCHAR(200) PRIMARY KEY,
    hash  VARCHAR(64)  NOT NULL
);
