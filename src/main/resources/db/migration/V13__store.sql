-- Store purchases: what was bought through the App Store, Google Play and Stripe, memberships, deliveries of store
-- notifications, refusals, and each person's store account (token and own monthly cap). Portable SQL (SQLite and
-- PostgreSQL); times are epoch milliseconds; money is BIGINT minor units of its currency (fen, cents). People are
-- named without a foreign key: purchase records outlive a closed account.

-- One payment a store reported: a gem pack, the first period of a membership, or a renewal. (store,
-- transaction_id) is the store's own id of the payment and credits at most once. status: 'credited' (gems or
-- membership given), 'revoked' (given, then taken back by a refund, chargeback or revocation) or 'void' (refunded
-- before anyone submitted it: kept so that a later submission credits nothing). limit_amount is the price in the
-- spending limits' currency when it could be converted; over_limit marks a payment that exceeded the buyer's
-- limits when it was verified (money had moved: it was credited, and recorded).
CREATE TABLE store_purchases (
    id                      VARCHAR(40)  PRIMARY KEY,
    store                   VARCHAR(20)  NOT NULL,
    transaction_id          VARCHAR(200) NOT NULL,
    original_transaction_id VARCHAR(200) NOT NULL,
    person_id               VARCHAR(40),
    product_id              VARCHAR(100),
    store_product_id        VARCHAR(200),
    kind                    VARCHAR(20)  NOT NULL,
    quantity                INTEGER      NOT NULL,
    gems                    BIGINT       NOT NULL,
    price                   BIGINT       NOT NULL,
    currency                VARCHAR(3),
    limit_amount            BIGINT,
    environment             VARCHAR(20)  NOT NULL,
    status                  VARCHAR(20)  NOT NULL,
    over_limit              INTEGER      NOT NULL DEFAULT 0,
    purchased_at            BIGINT       NOT NULL,
    created_at              BIGINT       NOT NULL,
    revoked_at              BIGINT,
    revoke_reason           VARCHAR(40),
    UNIQUE (store, transaction_id)
);
CREATE INDEX store_purchases_by_person ON store_purchases (person_id, purchased_at);

-- A membership: one auto-renewing subscription, keyed by the store's id of it (Apple's originalTransactionId,
-- Google's purchase token, Stripe's subscription). state: 'active' (perks until expires_at), 'grace' (a renewal
-- failed; perks until grace_ends_at, or until the store says more when it gave no end), 'on_hold' (no perks, the
-- store still retries), 'expired', 'revoked'.
CREATE TABLE store_memberships (
    store                   VARCHAR(20)  NOT NULL,
    original_transaction_id VARCHAR(200) NOT NULL,
    person_id               VARCHAR(40)  NOT NULL,
    product_id              VARCHAR(100) NOT NULL,
    state                   VARCHAR(20)  NOT NULL,
    expires_at              BIGINT,
    grace_ends_at           BIGINT,
    auto_renew              INTEGER      NOT NULL DEFAULT 1,
    environment             VARCHAR(20)  NOT NULL,
    started_at              BIGINT       NOT NULL,
    updated_at              BIGINT       NOT NULL,
    PRIMARY KEY (store, original_transaction_id)
);
CREATE INDEX store_memberships_by_person ON store_memberships (person_id);

-- Every store notification or webhook event processed, by the store's id of the delivery: a redelivery finds its
-- row and changes nothing. Written in the same transaction as what the delivery changed.
CREATE TABLE store_notifications (
    store           VARCHAR(20)  NOT NULL,
    notification_id VARCHAR(200) NOT NULL,
    type            VARCHAR(100) NOT NULL,
    events          INTEGER      NOT NULL,
    sent_at         BIGINT       NOT NULL,
    received_at     BIGINT       NOT NULL,
    PRIMARY KEY (store, notification_id)
);

-- What was refused or needs a person's eye: forged or replayed receipts and deliveries, wrong apps, purchases over
-- a limit or while in debt, refunds of unknown payments. outcome: 'refused', 'replayed', 'flagged', 'unmatched'.
-- reason: a StoreException reason (BAD_SIGNATURE, WRONG_APP, ...) or our own (REPLAYED, OVER_LIMIT, IN_DEBT, ...).
CREATE TABLE store_audit (
    id              VARCHAR(40)   PRIMARY KEY,
    store           VARCHAR(20)   NOT NULL,
    outcome         VARCHAR(20)   NOT NULL,
    reason          VARCHAR(40)   NOT NULL,
    person_id       VARCHAR(40),
    transaction_id  VARCHAR(200),
    notification_id VARCHAR(200),
    detail          VARCHAR(1000) NOT NULL,
    created_at      BIGINT        NOT NULL
);
CREATE INDEX store_audit_by_time ON store_audit (created_at);

-- A person's store account: the token the app attaches to purchases (Apple's appAccountToken, a UUID; Google's
-- obfuscatedAccountId) so that a store's notification names its buyer, and the monthly cap they set on themselves
-- (in the spending limits' currency; NULL: none).
CREATE TABLE store_accounts (
    person_id     VARCHAR(40) PRIMARY KEY,
    account_token VARCHAR(64) NOT NULL UNIQUE,
    monthly_cap   BIGINT,
    created_at    BIGINT      NOT NULL,
    updated_at    BIGINT      NOT NULL
);
