-- Portable SQL: runs on SQLite and PostgreSQL. Times are epoch milliseconds.
CREATE TABLE organizations (
    id          VARCHAR(40)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE api_keys (
    id               VARCHAR(40)  PRIMARY KEY,
    organization_id  VARCHAR(40)  NOT NULL REFERENCES organizations (id),
    name             VARCHAR(200) NOT NULL,
    prefix           VARCHAR(20)  NOT NULL,
    secret_hash      CHAR(64)     NOT NULL UNIQUE,
    role             VARCHAR(20)  NOT NULL,
    created_at       BIGINT       NOT NULL,
    revoked_at       BIGINT
);

CREATE INDEX api_keys_by_organization ON api_keys (organization_id);
