-- Billing: credit profiles, a double-entry ledger, credit leases (reservations), usage records and their hourly
-- aggregates. Portable SQL (SQLite and PostgreSQL). Money is BIGINT micro-units of the currency; times are epoch
-- milliseconds.

-- How each organization is billed. mode: 'prepaid' (calls need credits) or 'unlimited' (metered, never refused).
CREATE TABLE billing_profiles (
    organization_id       VARCHAR(40)  PRIMARY KEY,
    mode                  VARCHAR(20)  NOT NULL,
    price_multiplier_bp   INTEGER      NOT NULL DEFAULT 10000,
    low_balance_threshold BIGINT,
    low_balance_webhook   VARCHAR(2000),
    low_balance_alerted   INTEGER      NOT NULL DEFAULT 0,
    created_at            BIGINT       NOT NULL
);
-- Organizations that existed before billing are the platform owner's: metered, never refused.
INSERT INTO billing_profiles (organization_id, mode, created_at)
    SELECT id, 'unlimited', created_at FROM organizations;

-- An account of the ledger. balance is a projection of its entries, kept in the same transaction.
CREATE TABLE ledger_accounts (
    id              VARCHAR(80)  PRIMARY KEY,
    organization_id VARCHAR(40),
    currency        VARCHAR(10)  NOT NULL,
    balance         BIGINT       NOT NULL DEFAULT 0,
    created_at      BIGINT       NOT NULL
);

-- One balance change: its entries sum to zero. Never updated or deleted.
CREATE TABLE ledger_transactions (
    id              VARCHAR(40)  PRIMARY KEY,
    idempotency_key VARCHAR(200) NOT NULL UNIQUE,
    kind            VARCHAR(30)  NOT NULL,
    organization_id VARCHAR(40),
    reference       VARCHAR(200),
    memo            VARCHAR(400),
    created_at      BIGINT       NOT NULL
);

CREATE TABLE ledger_entries (
    transaction_id VARCHAR(40) NOT NULL REFERENCES ledger_transactions (id),
    seq            INTEGER     NOT NULL,
    account_id     VARCHAR(80) NOT NULL REFERENCES ledger_accounts (id),
    amount         BIGINT      NOT NULL,
    created_at     BIGINT      NOT NULL,
    PRIMARY KEY (transaction_id, seq)
);
CREATE INDEX ledger_entries_by_account ON ledger_entries (account_id, created_at);

-- Credits a node holds for the calls it runs: taken from an organization's balance in one step, spent call by
-- call, the rest given back. A lease whose node stopped renewing it expires and is given back by any node.
CREATE TABLE credit_leases (
    id              VARCHAR(40) PRIMARY KEY,
    organization_id VARCHAR(40) NOT NULL,
    node            VARCHAR(80) NOT NULL,
    amount          BIGINT      NOT NULL,
    used            BIGINT      NOT NULL DEFAULT 0,
    status          VARCHAR(10) NOT NULL,
    expires_at      BIGINT      NOT NULL,
    created_at      BIGINT      NOT NULL
);
CREATE INDEX credit_leases_open ON credit_leases (status, expires_at);

-- One record per model call that reached an engine.
CREATE TABLE usage_records (
    id               VARCHAR(80)  PRIMARY KEY,
    organization_id  VARCHAR(40)  NOT NULL,
    api_key_id       VARCHAR(40)  NOT NULL,
    model            VARCHAR(200) NOT NULL,
    backend          VARCHAR(200) NOT NULL,
    endpoint         VARCHAR(40)  NOT NULL,
    stream           INTEGER      NOT NULL,
    input_tokens     BIGINT       NOT NULL,
    cached_tokens    BIGINT       NOT NULL,
    output_tokens    BIGINT       NOT NULL,
    reasoning_tokens BIGINT       NOT NULL,
    characters       BIGINT       NOT NULL DEFAULT 0,
    media_seconds    BIGINT       NOT NULL DEFAULT 0,
    latency_ms       BIGINT       NOT NULL,
    ttft_ms          BIGINT       NOT NULL,
    status           VARCHAR(20)  NOT NULL,
    price            BIGINT       NOT NULL,
    cost             BIGINT       NOT NULL,
    created_at       BIGINT       NOT NULL
);
CREATE INDEX usage_records_by_org_time ON usage_records (organization_id, created_at);
CREATE INDEX usage_records_by_key_time ON usage_records (api_key_id, created_at);

-- Hourly sums of usage_records, kept in the same transaction: what reports read.
CREATE TABLE usage_hourly (
    organization_id  VARCHAR(40)  NOT NULL,
    api_key_id       VARCHAR(40)  NOT NULL,
    model            VARCHAR(200) NOT NULL,
    hour             BIGINT       NOT NULL,
    requests         BIGINT       NOT NULL,
    input_tokens     BIGINT       NOT NULL,
    cached_tokens    BIGINT       NOT NULL,
    output_tokens    BIGINT       NOT NULL,
    reasoning_tokens BIGINT       NOT NULL,
    price            BIGINT       NOT NULL,
    cost             BIGINT       NOT NULL,
    PRIMARY KEY (organization_id, api_key_id, model, hour)
);
CREATE INDEX usage_hourly_by_org ON usage_hourly (organization_id, hour);
