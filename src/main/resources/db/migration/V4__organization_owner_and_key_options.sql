-- The platform owner's organization, and what an API key may do.
ALTER TABLE organizations ADD COLUMN is_owner INTEGER NOT NULL DEFAULT 0;
UPDATE organizations SET is_owner = 1 WHERE id = (SELECT id FROM organizations ORDER BY created_at LIMIT 1);

ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
-- JSON array of model ids the key may call; NULL: every model
ALTER TABLE api_keys ADD COLUMN allowed_models VARCHAR(8000);
ALTER TABLE api_keys ADD COLUMN spend_limit_daily BIGINT;
ALTER TABLE api_keys ADD COLUMN spend_limit_monthly BIGINT;
ALTER TABLE api_keys ADD COLUMN rpm INTEGER;
ALTER TABLE api_keys ADD COLUMN tpm INTEGER;
ALTER TABLE api_keys ADD COLUMN max_streams INTEGER;
-- JSON array of CIDR ranges the key may be used from; NULL: anywhere
ALTER TABLE api_keys ADD COLUMN ip_allow VARCHAR(8000);
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
