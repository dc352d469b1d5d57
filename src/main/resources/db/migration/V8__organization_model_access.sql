-- Per-organization model access and its fallback policy.
-- models: a JSON array of the model ids the organization may call (NULL: every model of the catalog).
-- allow_fallbacks: 1 when calls may be answered by a model's configured fallbacks while it is out of service,
-- unless the caller says otherwise (x-tandem-allow-fallbacks).
ALTER TABLE organizations ADD COLUMN models VARCHAR(8000);
ALTER TABLE organizations ADD COLUMN allow_fallbacks INTEGER NOT NULL DEFAULT 0;
