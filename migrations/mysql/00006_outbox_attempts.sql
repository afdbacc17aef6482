-- Delivery you can see: every attempt to deliver an outbox message is
-- recorded (who tried, when, with what outcome and error text), a message
-- given up on is a dead letter (state 'dead', formerly 'failed') with the
-- time it died, and the admin's outbox page finds them by state.

-- +goose Up
CREATE TABLE outbox_attempts (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    outbox_id   BIGINT       NOT NULL,
    attempt     INT          NOT NULL,
    worker      VARCHAR(64)  NOT NULL,
    started_at  DATETIME(6)  NOT NULL,
    finished_at DATETIME(6)  NOT NULL,
    outcome     VARCHAR(16)  NOT NULL,
    error       VARCHAR(500) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX idx_outbox_attempts_outbox ON outbox_attempts (outbox_id, attempt);
ALTER TABLE outbox ADD COLUMN dead_at DATETIME(6) NULL;
CREATE INDEX idx_outbox_state_dead ON outbox (state, dead_at);
UPDATE outbox SET state = 'dead', dead_at = next_attempt_at WHERE state = 'failed';

-- +goose Down
UPDATE outbox SET state = 'failed' WHERE state = 'dead';
DROP INDEX idx_outbox_state_dead ON outbox;
ALTER TABLE outbox DROP COLUMN dead_at;
DROP TABLE outbox_attempts;
