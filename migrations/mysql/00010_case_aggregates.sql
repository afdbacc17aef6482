-- Provincial scale (docs/performance.md): the dashboard reads maintained
-- aggregates instead of counting a million cases and joining their events.
--
-- case_counts holds how many cases of each station are in each status; the
-- store keeps it in step in the transaction that inserts a case or changes
-- its status or station. case_flows holds, per Shanghai day (YYYY-MM-DD,
-- text so both dialects compare it alike) and station county, how many
-- cases changed from one status to another and how many of those left the
-- stage in time; the service adds to it in the transaction of the change.
-- The overdue filter ("stage due before now and open") is a range on
-- stage_due_at, which only open cases with a running stage carry.

-- +goose Up
CREATE TABLE case_counts (
    id         BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    station_id BIGINT      NOT NULL,
    status     VARCHAR(24) NOT NULL,
    n          BIGINT      NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_case_counts ON case_counts (station_id, status);
INSERT INTO case_counts (station_id, status, n)
SELECT station_id, status, COUNT(*) FROM cases GROUP BY station_id, status;

CREATE TABLE case_flows (
    id               BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    day              VARCHAR(10) NOT NULL,
    station_division VARCHAR(6)  NOT NULL,
    from_status      VARCHAR(24) NOT NULL DEFAULT '',
    to_status        VARCHAR(24) NOT NULL,
    n                BIGINT      NOT NULL DEFAULT 0,
    on_time          BIGINT      NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE UNIQUE INDEX uq_case_flows ON case_flows (day, station_division, from_status, to_status);
-- The dashboard's read: a range of days, answered from this index alone.
CREATE INDEX idx_case_flows_read ON case_flows (day, station_division, from_status, to_status, n, on_time);
-- The timeline so far, counted once; its on-time share is not known to SQL
-- (it needs the working-day calendar) except for a pickup, in time when
-- the card was collected.
INSERT INTO case_flows (day, station_division, from_status, to_status, n, on_time)
SELECT DATE_FORMAT(e.at + INTERVAL 8 HOUR, '%Y-%m-%d'), c.station_division, COALESCE(e.from_status, ''), e.to_status, COUNT(*),
       SUM(CASE WHEN e.from_status = 'ready_for_pickup' AND e.to_status = 'collected' THEN 1 ELSE 0 END)
FROM case_events e JOIN cases c ON c.id = e.case_id
WHERE e.from_status IS NULL OR e.from_status <> e.to_status
GROUP BY 1, 2, 3, 4;

CREATE INDEX idx_cases_stage_due ON cases (stage_due_at);

-- +goose Down
DROP INDEX idx_cases_stage_due ON cases;
DROP TABLE case_flows;
DROP TABLE case_counts;
