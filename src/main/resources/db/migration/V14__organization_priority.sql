-- Whether an organization's calls may go ahead of others where a model is busy (OpenAI's service_tier "priority",
-- Anthropic's Priority Tier). Set by the platform owner; 0: its calls wait in arrival order with everyone's.
ALTER TABLE organizations ADD COLUMN priority_tier INTEGER NOT NULL DEFAULT 0;
