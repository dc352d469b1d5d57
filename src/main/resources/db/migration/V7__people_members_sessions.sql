-- People who sign in to the console, their memberships in organizations, invitations, console sessions and
-- failed sign-ins. Portable SQL (SQLite and PostgreSQL); times are epoch milliseconds.

-- email_key is the address in lower case: one person per address, whatever its case.
CREATE TABLE people (
    id            VARCHAR(40)  PRIMARY KEY,
    email         VARCHAR(320) NOT NULL,
    email_key     VARCHAR(320) NOT NULL UNIQUE,
    display_name  VARCHAR(200) NOT NULL,
    -- Argon2id in PHC form ($argon2id$v=19$m=…,t=…,p=…$salt$hash), salt per hash
    password_hash VARCHAR(400) NOT NULL,
    disabled      INTEGER      NOT NULL DEFAULT 0,
    created_at    BIGINT       NOT NULL
);

-- role: owner, admin, developer, billing or viewer
CREATE TABLE memberships (
    person_id       VARCHAR(40) NOT NULL REFERENCES people (id),
    organization_id VARCHAR(40) NOT NULL REFERENCES organizations (id),
    role            VARCHAR(20) NOT NULL,
    created_at      BIGINT      NOT NULL,
    PRIMARY KEY (person_id, organization_id)
);
CREATE INDEX memberships_by_organization ON memberships (organization_id);

-- The token is shown once to the inviter and stored as a SHA-256 hash; single use.
CREATE TABLE invitations (
    id              VARCHAR(40)  PRIMARY KEY,
    organization_id VARCHAR(40)  NOT NULL REFERENCES organizations (id),
    email           VARCHAR(320) NOT NULL,
    email_key       VARCHAR(320) NOT NULL,
    role            VARCHAR(20)  NOT NULL,
    token_hash      CHAR(64)     NOT NULL UNIQUE,
    invited_by      VARCHAR(40)  NOT NULL,
    created_at      BIGINT       NOT NULL,
    expires_at      BIGINT       NOT NULL,
    accepted_at     BIGINT,
    revoked_at      BIGINT
);
CREATE INDEX invitations_by_organization ON invitations (organization_id, email_key);

-- Console sign-ins. The cookie's token is stored as a SHA-256 hash; csrf_token is sent back with every change.
CREATE TABLE console_sessions (
    id           VARCHAR(40)  PRIMARY KEY,
    token_hash   CHAR(64)     NOT NULL UNIQUE,
    person_id    VARCHAR(40)  NOT NULL REFERENCES people (id),
    csrf_token   VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_seen_at BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    ip           VARCHAR(64),
    user_agent   VARCHAR(400)
);
CREATE INDEX console_sessions_by_person ON console_sessions (person_id);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- Failed sign-ins, counted per email and per client address to throttle guessing. subject: 'email:…' or 'ip:…'
CREATE TABLE sign_in_failures (
    subject   VARCHAR(400) NOT NULL,
    failed_at BIGINT       NOT NULL
);
CREATE INDEX sign_in_failures_by_subject ON sign_in_failures (subject, failed_at);

-- Who made a key: a person ('psn_…') or another key ('key_…'); null for keys made before this.
ALTER TABLE api_keys ADD COLUMN created_by VARCHAR(40);
