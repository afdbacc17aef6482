-- +goose Up
-- Staff photo look-ups find the cases and persons that use a photo.
CREATE INDEX idx_cases_photo ON cases (photo_id);
CREATE INDEX idx_persons_photo ON persons (photo_id);
-- EMS numbers are looked up when shipping (one number, one parcel) and
-- when recording deliveries.
CREATE INDEX idx_cases_tracking ON cases (tracking_no);

-- +goose Down
DROP INDEX idx_cases_tracking;
DROP INDEX idx_persons_photo;
DROP INDEX idx_cases_photo;
