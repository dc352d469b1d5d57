-- Prices in the database, daily usage sums and retention indexes, redemption codes, low-balance alerts.
-- Portable SQL (SQLite and PostgreSQL). Money is BIGINT micro-units; times are epoch milliseconds.

-- The price catalog: what organizations pay per model (before their multiplier) and what its engine costs Tandem.
-- Seeded from tandem.billing.prices (models not here yet), then managed through /v1/admin/prices.
CREATE TABLE model_prices (
    model                   VARCHAR(200) PRIMARY KEY,
    input                   BIGINT NOT NULL DEFAULT 0, -- per million prompt tokens
    cached_input            BIGINT NOT NULL DEFAULT 0, -- per million cached prompt tokens
    output                  BIGINT NOT NULL DEFAULT 0, -- per million generated tokens
    per_10k_characters      BIGINT NOT NULL DEFAULT 0,
    per_image               BIGINT NOT NULL DEFAULT 0,
    per_video_second        BIGINT NOT NULL DEFAULT 0,
    per_song                BIGINT NOT NULL DEFAULT 0,
    cost_input              BIGINT NOT NULL DEFAULT 0,
    cost_cached_input       BIGINT NOT NULL DEFAULT 0,
    cost_output             BIGINT NOT NULL DEFAULT 0,
    cost_per_10k_characters BIGINT NOT NULL DEFAULT 0,
    cost_per_image          BIGINT NOT NULL DEFAULT 0,
    cost_per_video_second   BIGINT NOT NULL DEFAULT 0,
    cost_per_song           BIGINT NOT NULL DEFAULT 0,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL
);
-- Bumped in the transaction of every change: nodes poll it to know when to reload the catalog.
CREATE TABLE model_prices_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT  NOT NULL
);
INSERT INTO model_prices_version (id, version) VALUES (1, 0);

-- Daily sums of usage_records (UTC days), kept in the settle transaction like usage_hourly and kept forever.
CREATE TABLE usage_daily (
    organization_id  VARCHAR(40)  NOT NULL,
    api_key_id       VARCHAR(40)  NOT NULL,
    model            VARCHAR(200) NOT NULL,
    day              BIGINT       NOT NULL,
    requests         BIGINT       NOT NULL,
    input_tokens     BIGINT       NOT NULL,
    cached_tokens    BIGINT       NOT NULL,
    output_tokens    BIGINT       NOT NULL,
    reasoning_tokens BIGINT       NOT NULL,
    price            BIGINT       NOT NULL,
    cost             BIGINT       NOT NULL,
    PRIMARY KEY (organization_id, api_key_id, model, day)
);
CREATE INDEX usage_daily_by_org ON usage_daily (organization_id, day);
INSERT INTO usage_daily (organization_id, api_key_id, model, day, requests, input_tokens, cached_tokens,
        output_tokens, reasoning_tokens, price, cost)
    SELECT organization_id, api_key_id, model, hour - (hour % 86400000), SUM(requests), SUM(input_tokens),
        SUM(cached_tokens), SUM(output_tokens), SUM(reasoning_tokens), SUM(price), SUM(cost)
    FROM usage_hourly GROUP BY organization_id, api_key_id, model, hour - (hour % 86400000);

-- Retention deletes the oldest rows first, in bounded batches.
CREATE INDEX usage_records_by_time ON usage_records (created_at);
CREATE INDEX usage_hourly_by_hour ON usage_hourly (hour);
-- Statements read an organization's top-ups by kind and time.
CREATE INDEX ledger_transactions_by_org ON ledger_transactions (organization_id, kind, created_at);

-- Redemption codes: made in batches by the platform admin, each redeemable once for its batch's amount.
-- Only a hash of each code is stored; its first characters stay visible.
CREATE TABLE redemption_batches (
    id         VARCHAR(40)  PRIMARY KEY,
    amount     BIGINT       NOT NULL,
    code_count INTEGER      NOT NULL,
    expires_at BIGINT,
    memo       VARCHAR(400),
    created_by VARCHAR(40)  NOT NULL,
    created_at BIGINT       NOT NULL
);
CREATE TABLE redemption_codes (
    id              VARCHAR(40) PRIMARY KEY,
    batch_id        VARCHAR(40) NOT NULL REFERENCES redemption_batches (id),
    prefix          VARCHAR(20) NOT NULL,
    code_hash       CHAR(64)    NOT NULL UNIQUE,
    status          VARCHAR(10) NOT NULL, -- unused | redeemed | revoked
    organization_id VARCHAR(40),
    redeemed_at     BIGINT,
    revoked_at      BIGINT
);
CREATE INDEX redemption_codes_by_batch ON redemption_codes (batch_id, status);

-- The key that signs an organization's low-balance alerts (made when its webhook is first set).
ALTER TABLE billing_profiles ADD COLUMN low_balance_webhook_secret VARCHAR(100);

-- Webhook deliveries waiting or done (an outbox): written in the transaction that decides to alert, sent by any
-- node, retried with backoff. status: pending | delivered | failed.
CREATE TABLE webhook_deliveries (
    id              VARCHAR(40)   PRIMARY KEY,
    organization_id VARCHAR(40)   NOT NULL,
    event_type      VARCHAR(60)   NOT NULL,
    url             VARCHAR(2000) NOT NULL,
    body            TEXT          NOT NULL,
    status          VARCHAR(10)   NOT NULL,
    attempts        INTEGER       NOT NULL DEFAULT 0,
    next_attempt_at BIGINT        NOT NULL,
    last_error      VARCHAR(400),
    created_at      BIGINT        NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_org ON webhook_deliveries (organization_id, created_at);
