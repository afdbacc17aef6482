-- +goose Up
-- Online payment of a case's fee (issue 13). A case's payment_status is
-- unpaid (mail route: due before production), pay_at_window (window
-- route), paid, refunded or waived. Each payment order at the provider is
-- a payments row: out_trade_no is our order number, unique; status created,
-- paid, refunding, refunded or closed; amounts in fen. Times are UTC.
ALTER TABLE cases ADD COLUMN payment_status VARCHAR(16) NOT NULL DEFAULT 'unpaid';
UPDATE cases SET payment_status = 'pay_at_window' WHERE collection = 'window';
UPDATE cases SET payment_status = 'waived' WHERE fee_yuan = 0;
CREATE TABLE payments (
    id             INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    case_id        BIGINT       NOT NULL,
    out_trade_no   VARCHAR(32)  NOT NULL,
    provider       VARCHAR(16)  NOT NULL,
    channel        VARCHAR(16)  NOT NULL,
    amount_fen     INT          NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    transaction_id VARCHAR(64)  NULL,
    out_refund_no  VARCHAR(64)  NULL,
    paid_at        DATETIME  NULL,
    refunded_at    DATETIME  NULL,
    created_at     DATETIME  NOT NULL,
    updated_at     DATETIME  NOT NULL
);
CREATE UNIQUE INDEX uq_payments_out_trade_no ON payments (out_trade_no);
CREATE INDEX idx_payments_case ON payments (case_id);
CREATE INDEX idx_payments_paid_at ON payments (paid_at);
-- What the daily reconciliation found between our payments and the
-- provider's trade bill of a day, for the admin; resolved_at when handled.
CREATE TABLE payment_discrepancies (
    id           INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    bill_date    DATE         NOT NULL,
    out_trade_no VARCHAR(32)  NOT NULL,
    kind         VARCHAR(24)  NOT NULL,
    detail       VARCHAR(255) NOT NULL,
    created_at   DATETIME  NOT NULL,
    resolved_at  DATETIME  NULL
);
CREATE UNIQUE INDEX uq_payment_discrepancies ON payment_discrepancies (bill_date, out_trade_no, kind);

-- +goose Down
DROP TABLE payment_discrepancies;
DROP TABLE payments;
ALTER TABLE cases DROP COLUMN payment_status;
