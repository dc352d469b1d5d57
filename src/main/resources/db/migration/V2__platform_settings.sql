-- Values the nodes of one deployment share, such as the key that signs thinking blocks.
CREATE TABLE platform_settings (
    name        VARCHAR(100) PRIMARY KEY,
    value       VARCHAR(4000) NOT NULL,
    created_at  BIGINT        NOT NULL
);
