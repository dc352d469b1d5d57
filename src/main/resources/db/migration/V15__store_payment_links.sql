-- Which payment paid which credited transaction, where a store names them apart: since Stripe's API version
-- 2025-03-31 a charge (and so its refund or dispute) names only its payment intent, while a membership period is
-- credited under its invoice; Stripe's invoice_payment.paid links the two.
CREATE TABLE store_payment_links (
    store          VARCHAR(20)  NOT NULL,
    payment_id     VARCHAR(200) NOT NULL,
    transaction_id VARCHAR(200) NOT NULL,
    created_at     BIGINT       NOT NULL,
    PRIMARY KEY (store, payment_id)
);
