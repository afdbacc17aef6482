-- +goose Up
-- Real-person verifications (实人认证) that bound an account to a person:
-- each provider reference binds once (the unique index), so a replayed
-- verify_result is refused. Times are UTC.
CREATE TABLE identity_verifications (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    applicant_id BIGINT       NOT NULL,
    person_id    BIGINT       NOT NULL,
    provider     VARCHAR(16)  NOT NULL,
    ref          VARCHAR(128) NOT NULL,
    verified_at  DATETIME(6)  NOT NULL,
    created_at   DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_identity_verifications_ref ON identity_verifications (ref);
CREATE INDEX idx_identity_verifications_person ON identity_verifications (person_id);
-- When a loss replacement's acceptance declared the person's card invalid;
-- a case that then ends without a new card gives the card back.
ALTER TABLE cases ADD COLUMN card_voided_at DATETIME(6) NULL;

-- +goose Down
ALTER TABLE cases DROP COLUMN card_voided_at;
DROP TABLE identity_verifications;
