-- +goose Up
-- Staff lists at provincial scale (docs/performance.md): every filter a
-- page offers is an index that yields its newest cases first, so a page
-- reads the rows it shows instead of sorting all the matches.
-- A status, a station, a reviewing county: equality, then submitted_at.
-- The overdue cases: the stage_due_at range, covering what the list
-- filters and sorts them by (the jurisdiction columns, submitted_at), so
-- their sort reads index entries only.
ALTER TABLE cases
    DROP INDEX idx_cases_stage_due,
    ADD INDEX idx_cases_stage_due (stage_due_at, submitted_at, station_division, household_division),
    ADD INDEX idx_cases_status_submitted (status, submitted_at),
    ADD INDEX idx_cases_station_submitted (station_id, submitted_at),
    ADD INDEX idx_cases_household_submitted (household_division, submitted_at);

-- +goose Down
ALTER TABLE cases
    DROP INDEX idx_cases_household_submitted,
    DROP INDEX idx_cases_station_submitted,
    DROP INDEX idx_cases_status_submitted,
    DROP INDEX idx_cases_stage_due,
    ADD INDEX idx_cases_stage_due (stage_due_at);
