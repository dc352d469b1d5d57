-- Organization-wide rate limits (NULL: the platform default).
ALTER TABLE billing_profiles ADD COLUMN rpm INTEGER;
ALTER TABLE billing_profiles ADD COLUMN tpm INTEGER;

-- Replies to model calls sent with an Idempotency-Key: a retry with the same key gets the stored reply instead of
-- a second (billed) call. status: 'running' (locked_until guards against a node that died with it) or 'done'.
CREATE TABLE idempotent_requests (
    organization_id VARCHAR(40)  NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    fingerprint     VARCHAR(64)  NOT NULL,
    status          VARCHAR(10)  NOT NULL,
    request_id      VARCHAR(128) NOT NULL,
    response_status INTEGER,
    content_type    VARCHAR(100),
    body            TEXT,
    locked_until    BIGINT       NOT NULL,
    created_at      BIGINT       NOT NULL,
    expires_at      BIGINT       NOT NULL,
    PRIMARY KEY (organization_id, idempotency_key)
);
CREATE INDEX idempotent_requests_by_expiry ON idempotent_requests (expires_at);
