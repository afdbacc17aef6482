-- +goose Up
-- The registry's guardianships (监护关系): who is the registered guardian
-- of a minor, and how related (father, mother, ...).
CREATE TABLE guardianships (
    id                 INTEGER     NOT NULL PRIMARY KEY AUTOINCREMENT,
    guardian_person_id BIGINT      NOT NULL,
    ward_person_id     BIGINT      NOT NULL,
    relation           VARCHAR(16) NOT NULL,
    created_at         DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_guardianships_pair ON guardianships (guardian_person_id, ward_person_id);
CREATE INDEX idx_guardianships_ward ON guardianships (ward_person_id);
-- A child bound to a guardian's account after the registry confirmed the
-- guardianship; the guardian then applies for the child.
CREATE TABLE applicant_wards (
    id             INTEGER     NOT NULL PRIMARY KEY AUTOINCREMENT,
    applicant_id   BIGINT      NOT NULL,
    ward_person_id BIGINT      NOT NULL,
    relation       VARCHAR(16) NOT NULL,
    created_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_applicant_wards_pair ON applicant_wards (applicant_id, ward_person_id);
-- A case a guardian filed for a child names the guardian's registry person;
-- NULL for a case filed by the person themself.
ALTER TABLE cases ADD COLUMN guardian_person_id BIGINT NULL;
-- When the current station took over the pre-check (a change of station
-- before pre-check); NULL = since submission. The pre-check's 3 working
-- days run from it.
ALTER TABLE cases ADD COLUMN station_since DATETIME NULL;

-- +goose Down
ALTER TABLE cases DROP COLUMN station_since;
ALTER TABLE cases DROP COLUMN guardian_person_id;
DROP TABLE applicant_wards;
DROP TABLE guardianships;
