-- Every staff account has an office (openapi.yaml, GET /api/v1/staff/me): a
-- prefecture's supervisors work at its bureau (市(州)公安局), the province's
-- supervisor and the admin at the provincial department (省公安厅). The new
-- offices are added here for databases seeded before them (the seed
-- refreshes their address, phone and hours), every account without an
-- office gets the one over its scope, and the column becomes NOT NULL
-- (SQLite rebuilds the table for that).

-- +goose Up
INSERT INTO offices (code, kind, name, division_code, created_at, updated_at)
SELECT d.code || '-GA', 'prefecture_bureau', d.name || '公安局', d.code,
       strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00', strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00'
FROM divisions d
WHERE d.level = 2 AND NOT EXISTS (SELECT 1 FROM offices o WHERE o.code = d.code || '-GA');
INSERT INTO offices (code, kind, name, division_code, created_at, updated_at)
SELECT 'GZ-GAT', 'provincial_department', '贵州省公安厅', '52',
       strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00', strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00'
WHERE NOT EXISTS (SELECT 1 FROM offices WHERE code = 'GZ-GAT');
UPDATE staff SET office_id = (SELECT o.id FROM offices o WHERE o.code = staff.scope_division || '00-GA')
WHERE office_id IS NULL AND length(scope_division) = 4;
UPDATE staff SET office_id = (SELECT o.id FROM offices o WHERE o.code = staff.scope_division || '-GA')
WHERE office_id IS NULL AND length(scope_division) = 6;
UPDATE staff SET office_id = (SELECT o.id FROM offices o WHERE o.code = 'GZ-GAT')
WHERE office_id IS NULL;
CREATE TABLE staff_new (
    id             INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    username       VARCHAR(64)  NOT NULL,
    name           VARCHAR(64)  NOT NULL,
    password_hash  VARCHAR(255) NOT NULL,
    role           VARCHAR(32)  NOT NULL,
    office_id      BIGINT       NOT NULL,
    scope_division VARCHAR(6)   NOT NULL DEFAULT '',
    active         BOOLEAN      NOT NULL DEFAULT 1,
    last_login_at  DATETIME     NULL,
    created_at     DATETIME     NOT NULL,
    updated_at     DATETIME     NOT NULL
);
INSERT INTO staff_new (id, username, name, password_hash, role, office_id, scope_division, active, last_login_at, created_at, updated_at)
SELECT id, username, name, password_hash, role, office_id, scope_division, active, last_login_at, created_at, updated_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;
CREATE UNIQUE INDEX uq_staff_username ON staff (username);
CREATE INDEX idx_staff_office ON staff (office_id);

-- +goose Down
CREATE TABLE staff_old (
    id             INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    username       VARCHAR(64)  NOT NULL,
    name           VARCHAR(64)  NOT NULL,
    password_hash  VARCHAR(255) NOT NULL,
    role           VARCHAR(32)  NOT NULL,
    office_id      BIGINT       NULL,
    scope_division VARCHAR(6)   NOT NULL DEFAULT '',
    active         BOOLEAN      NOT NULL DEFAULT 1,
    last_login_at  DATETIME     NULL,
    created_at     DATETIME     NOT NULL,
    updated_at     DATETIME     NOT NULL
);
INSERT INTO staff_old (id, username, name, password_hash, role, office_id, scope_division, active, last_login_at, created_at, updated_at)
SELECT id, username, name, password_hash, role,
       CASE WHEN office_id IN (SELECT o.id FROM offices o WHERE o.kind IN ('prefecture_bureau', 'provincial_department')) THEN NULL ELSE office_id END,
       scope_division, active, last_login_at, created_at, updated_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_old RENAME TO staff;
CREATE UNIQUE INDEX uq_staff_username ON staff (username);
CREATE INDEX idx_staff_office ON staff (office_id);
DELETE FROM offices WHERE kind IN ('prefecture_bureau', 'provincial_department');
