-- +goose Up
-- Staff lists at provincial scale (docs/performance.md): every filter a
-- page offers is an index that yields its newest cases first, so a page
-- reads the rows it shows instead of sorting all the matches.
-- A status, a station, a reviewing county: equality, then submitted_at.
-- The overdue cases: the stage_due_at range, covering what the list
-- filters and sorts them by (the jurisdiction columns, submitted_at), so
-- their sort reads index entries only.
DROP INDEX idx_cases_stage_due;
CREATE INDEX idx_cases_stage_due ON cases (stage_due_at, submitted_at, station_division, household_division);
CREATE INDEX idx_cases_status_submitted ON cases (status, submitted_at);
CREATE INDEX idx_cases_station_submitted ON cases (station_id, submitted_at);
CREATE INDEX idx_cases_household_submitted ON cases (household_division, submitted_at);

-- +goose Down
DROP INDEX idx_cases_household_submitted;
DROP INDEX idx_cases_station_submitted;
DROP INDEX idx_cases_status_submitted;
DROP INDEX idx_cases_stage_due;
CREATE INDEX idx_cases_stage_due ON cases (stage_due_at);
