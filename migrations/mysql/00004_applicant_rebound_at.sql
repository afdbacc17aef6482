-- +goose Up
-- When the account's bound person was moved to it from another account
-- (docs/architecture.md, identity): the anti-fraud panel of that person's next case shows it.
-- NULL for a first binding. Times are UTC.
ALTER TABLE applicants ADD COLUMN rebound_at DATETIME(6) NULL;

-- +goose Down
ALTER TABLE applicants DROP COLUMN rebound_at;
