-- +goose Up
-- Real-person verifications (实人认证) that bound an account to a person:
-- each provider reference binds once (the unique index), so a replayed
-- verify_result is refused. Times are UTC.
CREATE TABLE identity_verifications (
    id           INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    applicant_id BIGINT       NOT NULL,
    person_id    BIGINT       NOT NULL,
    provider     VARCHAR(16)  NOT NULL,
    ref          VARCHAR(128) NOT NULL,
    verified_at  DATETIME     NOT NULL,
    created_at   DATETIME     NOT NULL
);
CREATE UNIQUE INDEX uq_identity_verifications_ref ON identity_verifications (ref);
CREATE INDEX idx_identity_verifications_person ON identity_verifications (person_id);
-- When a loss replacement's acceptance declared the person's card invalid;
-- a case that then ends without a new card gives the card back.
ALTER TABLE cases ADD COLUMN card_voided_at DATETIME NULL;

-- +goose Down
ALTER TABLE cases DROP COLUMN card_voided_at;
DROP TABLE identity_verifications;
