-- Every staff account has an office (openapi.yaml, GET /api/v1/staff/me): a
-- prefecture's supervisors work at its bureau (市(州)公安局), the province's
-- supervisor and the admin at the provincial department (省公安厅). The new
-- offices are added here for databases seeded before them (the seed
-- refreshes their address, phone and hours), every account without an
-- office gets the one over its scope, and the column becomes NOT NULL.

-- +goose Up
INSERT INTO offices (code, kind, name, division_code, created_at, updated_at)
SELECT CONCAT(d.code, '-GA'), 'prefecture_bureau', CONCAT(d.name, '公安局'), d.code, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
FROM divisions d
WHERE d.level = 2 AND NOT EXISTS (SELECT 1 FROM offices o WHERE o.code = CONCAT(d.code, '-GA'));
INSERT INTO offices (code, kind, name, division_code, created_at, updated_at)
SELECT 'GZ-GAT', 'provincial_department', '贵州省公安厅', '52', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
FROM (SELECT 1 AS one) AS x
WHERE NOT EXISTS (SELECT 1 FROM offices WHERE code = 'GZ-GAT');
UPDATE staff SET office_id = (SELECT o.id FROM offices o WHERE o.code = CONCAT(staff.scope_division, '00-GA'))
WHERE office_id IS NULL AND CHAR_LENGTH(scope_division) = 4;
UPDATE staff SET office_id = (SELECT o.id FROM offices o WHERE o.code = CONCAT(staff.scope_division, '-GA'))
WHERE office_id IS NULL AND CHAR_LENGTH(scope_division) = 6;
UPDATE staff SET office_id = (SELECT o.id FROM offices o WHERE o.code = 'GZ-GAT')
WHERE office_id IS NULL;
ALTER TABLE staff MODIFY office_id BIGINT NOT NULL;

-- +goose Down
ALTER TABLE staff MODIFY office_id BIGINT NULL;
UPDATE staff SET office_id = NULL
WHERE office_id IN (SELECT o.id FROM offices o WHERE o.kind IN ('prefecture_bureau', 'provincial_department'));
DELETE FROM offices WHERE kind IN ('prefecture_bureau', 'provincial_department');
